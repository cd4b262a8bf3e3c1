# Load traineesim run files in R (docs/OUTPUT.md): one data.frame per table,
# codes replaced by labels. Needs the hdf5r package (Debian: r-cran-hdf5r;
# elsewhere install.packages("hdf5r")).
#
#   source("tools/R/traineesim.R")
#   run <- load_run("results/cyp-psychological-professions/baseline/run_0.h5")
#   aggregate(headcount ~ period_end_day + state, data = run$census, FUN = sum)

read_table_group <- function(group) {
  columns <- group$ls()$name
  out <- lapply(columns, function(n) group[[n]]$read())
  names(out) <- columns
  as.data.frame(out, stringsAsFactors = FALSE, check.names = FALSE)
}

load_run <- function(path, labels = TRUE) {
  f <- hdf5r::H5File$new(path, mode = "r")
  on.exit(f$close_all())
  attrs <- hdf5r::h5attributes(f)
  if (!identical(attrs$schema, "traineesim.run") || attrs$schema_version != 1)
    stop(path, ": not a traineesim run file of schema version 1")
  if (attrs$complete != 1) stop(path, ": incomplete run file")
  dict <- list(
    states = read_table_group(f[["dictionary/states"]]),
    events = read_table_group(f[["dictionary/events"]]),
    routes = read_table_group(f[["dictionary/routes"]]),
    pools = read_table_group(f[["dictionary/pools"]]),
    attributes = list()
  )
  for (a in f[["dictionary/attributes"]]$ls()$name)
    dict$attributes[[a]] <- read_table_group(f[["dictionary/attributes"]][[a]])
  run <- list(attrs = attrs, scenario = f[["scenario/resolved"]]$read(), dictionary = dict)
  for (t in c("persons", "events", "census", "flows", "pools"))
    if (f$exists(t)) run[[t]] <- read_table_group(f[[t]])
  if (labels) run <- apply_labels(run)
  run
}

apply_labels <- function(run) {
  d <- run$dictionary
  label <- function(codes, table, column) {
    factor(table[[column]][match(codes, table$code)], levels = table[[column]])
  }
  state_columns <- c("state", "from_state", "to_state", "entry_state", "exit_state", "qualified_state")
  for (t in c("persons", "events", "census", "flows", "pools")) {
    df <- run[[t]]
    if (is.null(df)) next
    for (col in names(df)) {
      if (col %in% state_columns) df[[col]] <- label(df[[col]], d$states, "name")
      else if (col == "event") df[[col]] <- label(df[[col]], d$events, "name")
      else if (col == "route") {
        routes <- rbind(d$routes, data.frame(code = -1L, name = "initial_stock"))
        df[[col]] <- label(df[[col]], routes, "name")
      } else if (col == "pool" && t == "pools") df[[col]] <- label(df[[col]], d$pools, "name")
      else if (col %in% names(d$attributes)) df[[col]] <- label(df[[col]], d$attributes[[col]], "label")
    }
    run[[t]] <- df
  }
  run
}
