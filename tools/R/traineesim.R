# Load traineesim run files in R (docs/OUTPUT.md): one data.frame per table,
# codes replaced by labels. Every column says what its values are (its `role`
# attribute) and which dictionary labels its codes, so nothing here knows
# column names. Needs the hdf5r package (Debian: r-cran-hdf5r; elsewhere
# install.packages("hdf5r")).
#
#   source("tools/R/traineesim.R")
#   run <- load_run("results/cyp-psychological-professions/baseline/run_0.h5")
#   aggregate(headcount ~ period_end_day + state, data = run$census, FUN = sum)

traineesim_schema_version <- 2L
traineesim_tables <- c("persons", "events", "census", "flows", "pools")
# Labels of codes that are not in a dictionary (docs/OUTPUT.md).
traineesim_missing_label <- c(route = "initial_stock")

read_table_group <- function(group) {
  columns <- group$ls()$name
  out <- lapply(columns, function(n) group[[n]]$read())
  names(out) <- columns
  as.data.frame(out, stringsAsFactors = FALSE, check.names = FALSE)
}

column_roles <- function(group) {
  columns <- group$ls()$name
  roles <- lapply(columns, function(n) {
    a <- hdf5r::h5attributes(group[[n]])
    list(role = if (is.null(a$role)) "value" else a$role,
         dictionary = if (is.null(a$dictionary)) "" else a$dictionary)
  })
  names(roles) <- columns
  roles
}

load_run <- function(path, labels = TRUE) {
  f <- hdf5r::H5File$new(path, mode = "r")
  on.exit(f$close_all())
  attrs <- hdf5r::h5attributes(f)
  if (!identical(attrs$schema, "traineesim.run") || !identical(as.integer(attrs$schema_version), traineesim_schema_version))
    stop(path, ": not a traineesim run file of schema version ", traineesim_schema_version)
  if (attrs$complete != 1) stop(path, ": incomplete run file")
  run <- list(attrs = attrs, scenario = f[["scenario/resolved"]]$read(), dictionaries = list(), roles = list())
  for (t in traineesim_tables) {
    if (!f$exists(t)) next
    run[[t]] <- read_table_group(f[[t]])
    run$roles[[t]] <- column_roles(f[[t]])
    for (r in run$roles[[t]])
      if (nzchar(r$dictionary) && is.null(run$dictionaries[[r$dictionary]]))
        run$dictionaries[[r$dictionary]] <- read_table_group(f[[r$dictionary]])
  }
  if (labels) run <- apply_labels(run)
  run
}

apply_labels <- function(run) {
  for (t in traineesim_tables) {
    df <- run[[t]]
    if (is.null(df)) next
    for (col in names(run$roles[[t]])) {
      r <- run$roles[[t]][[col]]
      if (!nzchar(r$dictionary)) next
      d <- run$dictionaries[[r$dictionary]]
      labels <- if ("name" %in% names(d)) d$name else d$label
      codes <- d$code
      if (r$role %in% names(traineesim_missing_label)) {
        codes <- c(codes, -1L)
        labels <- c(labels, traineesim_missing_label[[r$role]])
      }
      df[[col]] <- factor(labels[match(df[[col]], codes)], levels = labels)
    }
    run[[t]] <- df
  }
  run
}
