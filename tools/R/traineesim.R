# Load traineesim run files in R (docs/OUTPUT.md): one data.frame per table,
# codes replaced by labels. Every column says what its values are (its `role`
# attribute) and which dictionary labels its codes, so nothing here knows
# column names. Needs the hdf5r package (Debian: r-cran-hdf5r; elsewhere
# install.packages("hdf5r")).
#
#   source("tools/R/traineesim.R")
#   run <- load_run("results/cyp-psychological-professions/baseline/run_0.h5")
#   aggregate(headcount ~ period_end_day + state, data = run$census, FUN = sum)
#
# A file that is not what the contract says (empty, text, truncated, another
# HDF5 file, another schema version, a damaged chunk, a column without its
# role, a code outside its dictionary) stops with one line,
# "<path>: <what is wrong>" (an error of class "traineesim_error").

traineesim_schema_version <- 2L
traineesim_tables <- c("persons", "events", "census", "flows", "pools")
traineesim_roles <- c("value", "day", "period", "person", "state", "event", "route", "pool", "attribute", "flag")
traineesim_code_roles <- c("state", "event", "route", "pool", "attribute")
# Labels of codes that are not in a dictionary (docs/OUTPUT.md).
traineesim_missing_label <- c(route = "initial_stock")
# Roles whose -1 means "none" rather than a code.
traineesim_none_code <- c("state", "route")

traineesim_error <- function(path, ...) {
  stop(structure(class = c("traineesim_error", "error", "condition"),
                 list(message = paste0(path, ": ", ...), call = NULL)))
}

# Text read from a file, fit for a one-line message.
shown <- function(x) {
  x <- gsub("[[:cntrl:]]", "?", paste(x, collapse = " "))
  if (nchar(x) > 40) paste0(substr(x, 1, 40), "...") else x
}

# What HDF5 said about a failed call, in one line: the innermost error of its stack.
hdf5_reason <- function(message) {
  errors <- regmatches(message, gregexpr("error #[0-9]+:[^\n]*", message))[[1]]
  last <- if (length(errors)) sub("^error #[0-9]+: .* line [0-9]+: ", "", errors[length(errors)]) else message
  last <- trimws(gsub("\\s+", " ", last))
  m <- regmatches(last, regexec("truncated file: eof = ([0-9]+).*stored_eof = ([0-9]+)", last))[[1]]
  if (length(m) == 3) sprintf("truncated (%s of %s bytes)", m[2], m[3]) else last
}

open_traineesim_file <- function(path) {
  if (!file.exists(path)) traineesim_error(path, "no such file")
  if (dir.exists(path)) traineesim_error(path, "a folder, not a file")
  if (file.size(path) == 0) traineesim_error(path, "empty file (0 bytes)")
  if (!isTRUE(tryCatch(hdf5r::is.h5file(path), error = function(e) FALSE)))
    traineesim_error(path, "not an HDF5 file")
  tryCatch(hdf5r::H5File$new(path, mode = "r"), error = function(e) {
    reason <- hdf5_reason(conditionMessage(e))
    traineesim_error(path, if (startsWith(reason, "truncated")) reason else paste0("HDF5 cannot open it (", reason, ")"))
  })
}

# Runs `body(f)` on the open file; any error that is not already ours names the file.
with_traineesim_file <- function(path, body) {
  f <- open_traineesim_file(path)
  on.exit(f$close_all())
  tryCatch(body(f), error = function(e) {
    if (inherits(e, "traineesim_error")) stop(e)
    traineesim_error(path, "cannot be read (", hdf5_reason(conditionMessage(e)), ")")
  })
}

# Whether `path` ("dictionary/states") exists, walking it one link at a time.
has_path <- function(f, path) {
  parts <- strsplit(sub("^/", "", path), "/", fixed = TRUE)[[1]]
  for (i in seq_along(parts))
    if (!f$exists(paste(parts[seq_len(i)], collapse = "/"))) return(FALSE)
  TRUE
}

check_schema <- function(path, attrs) {
  if (is.null(attrs$schema)) traineesim_error(path, "not a traineesim run file (no schema attribute)")
  if (!identical(attrs$schema, "traineesim.run"))
    traineesim_error(path, "not a traineesim run file (schema '", shown(attrs$schema), "')")
  if (is.null(attrs$schema_version)) traineesim_error(path, "no schema_version attribute")
  if (!identical(suppressWarnings(as.integer(attrs$schema_version)), traineesim_schema_version))
    traineesim_error(path, "schema version ", shown(attrs$schema_version), ", this loader reads ", traineesim_schema_version)
  if (is.null(attrs$complete) || attrs$complete != 1) traineesim_error(path, "incomplete file (no complete = 1)")
}

read_column <- function(path, ds, where) {
  # An extent far beyond what the file stores (deflate packs at most ~1032:1) is
  # a damaged dataspace: refused before memory is set aside for it.
  rows <- prod(ds$dims)
  size <- ds$get_type()$get_size()  # Inf for variable-length strings: not checked
  if (is.finite(size) && rows * size > ds$get_storage_size() * 2000 + 1e6)
    traineesim_error(path, where, " claims ", format(rows, scientific = FALSE), " rows but stores ",
                     ds$get_storage_size(), " bytes")
  tryCatch(ds$read(), error = function(e)
    traineesim_error(path, where, " cannot be read (damaged: ", hdf5_reason(conditionMessage(e)), ")"))
}

read_table_group <- function(group, path, name) {
  columns <- group$ls()$name
  out <- lapply(columns, function(n) read_column(path, group[[n]], paste0(name, "/", n)))
  names(out) <- columns
  lengths <- vapply(out, length, integer(1))
  if (length(unique(lengths)) > 1)
    traineesim_error(path, name, ": columns of different lengths (",
                     paste(columns, lengths, collapse = ", "), ")")
  as.data.frame(out, stringsAsFactors = FALSE, check.names = FALSE)
}

column_roles <- function(path, f, group, table) {
  columns <- group$ls()$name
  roles <- lapply(columns, function(n) {
    where <- paste0("/", table, "/", n)
    a <- hdf5r::h5attributes(group[[n]])
    if (is.null(a$role)) traineesim_error(path, where, " has no role attribute")
    if (!a$role %in% traineesim_roles)
      traineesim_error(path, where, " has role '", shown(a$role), "', which this loader does not know")
    dictionary <- if (is.null(a$dictionary)) "" else a$dictionary
    if (a$role %in% traineesim_code_roles) {
      if (!nzchar(dictionary)) traineesim_error(path, where, " has no dictionary attribute")
      if (!has_path(f, dictionary)) traineesim_error(path, where, ": its dictionary ", shown(dictionary), " is missing")
    }
    list(role = a$role, dictionary = dictionary)
  })
  names(roles) <- columns
  roles
}

read_dictionary <- function(path, f, dictionary) {
  d <- read_table_group(f[[dictionary]], path, dictionary)
  if (!"code" %in% names(d)) traineesim_error(path, "dictionary ", dictionary, " has no code column")
  if (!any(c("name", "label") %in% names(d)))
    traineesim_error(path, "dictionary ", dictionary, " has no name or label column")
  d
}

check_codes <- function(path, run, table) {
  for (col in names(run$roles[[table]])) {
    r <- run$roles[[table]][[col]]
    if (!nzchar(r$dictionary)) next
    allowed <- c(run$dictionaries[[r$dictionary]]$code, if (r$role %in% traineesim_none_code) -1L)
    values <- run[[table]][[col]]
    bad <- which(!values %in% allowed)
    if (length(bad))
      traineesim_error(path, "/", table, "/", col, " row ", bad[1] - 1, ": code ", values[bad[1]],
                       " is not in ", r$dictionary)
  }
}

load_run <- function(path, labels = TRUE) {
  run <- with_traineesim_file(path, function(f) {
    attrs <- hdf5r::h5attributes(f)
    check_schema(path, attrs)
    if (!has_path(f, "scenario/resolved")) traineesim_error(path, "no /scenario/resolved")
    run <- list(attrs = attrs, scenario = f[["scenario/resolved"]]$read(), dictionaries = list(), roles = list())
    for (t in traineesim_tables) {
      if (!f$exists(t)) next
      run[[t]] <- read_table_group(f[[t]], path, paste0("/", t))
      run$roles[[t]] <- column_roles(path, f, f[[t]], t)
      for (r in run$roles[[t]])
        if (nzchar(r$dictionary) && is.null(run$dictionaries[[r$dictionary]]))
          run$dictionaries[[r$dictionary]] <- read_dictionary(path, f, r$dictionary)
      check_codes(path, run, t)
    }
    run
  })
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
