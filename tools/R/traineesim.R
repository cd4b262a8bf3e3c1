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
# A results folder (docs/OUTPUT.md, "Results folders") holds one run:
# load_folder(dir) loads every run file of a variant folder after checking that
# their root attributes agree with each other and with the folder's
# manifest.toml, and stops naming the files when they do not.
#
# Every column of role `day` gets a Date beside it (`<name>_date` for
# `<name>_day`, `date` for `day`: start_date + whole days, NA where the day is
# missing); missing numbers are NA (never NaN) and flags are logical. /census
# is completed with a zero row for every (period, state, census attribute
# levels) cell it does not hold.
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
  run <- complete_census(run)
  if (labels) run <- apply_labels(run)
  add_dates(tidy_values(run), path)
}

# NaN -> NA in numeric columns, flags (0/1) -> logical.
tidy_values <- function(run) {
  for (t in traineesim_tables) {
    if (is.null(run[[t]])) next
    for (col in names(run$roles[[t]])) {
      x <- run[[t]][[col]]
      if (run$roles[[t]][[col]]$role == "flag") run[[t]][[col]] <- as.logical(x)
      else if (is.double(x)) { x[is.nan(x)] <- NA_real_; run[[t]][[col]] <- x }
    }
  }
  run
}

date_name <- function(column) {
  if (column == "day" || endsWith(column, "_day")) paste0(substr(column, 1, nchar(column) - 3), "date")
  else paste0(column, "_date")
}

# Beside every column of role `day`, its calendar date.
add_dates <- function(run, path) {
  start <- tryCatch(as.Date(run$attrs$start_date, format = "%Y-%m-%d"), error = function(e) NA)
  if (length(start) != 1 || is.na(start))
    traineesim_error(path, "start_date '", shown(run$attrs$start_date), "' is not a date")
  for (t in traineesim_tables) {
    df <- run[[t]]
    if (is.null(df)) next
    for (col in names(run$roles[[t]])) {
      if (run$roles[[t]][[col]]$role != "day") next
      dates <- start + floor(df[[col]])
      at <- match(col, names(df))
      df <- data.frame(df[seq_len(at)], setNames(list(dates), date_name(col)),
                       df[-seq_len(at)], check.names = FALSE, stringsAsFactors = FALSE)
    }
    run[[t]] <- df
  }
  run
}

# A zero row (headcount 0, fte 0) for every census cell not in the file: every
# period, state and level of each census attribute, so time series start at
# the start. The writer writes zero rows already (schema_version 2).
complete_census <- function(run) {
  df <- run$census
  if (is.null(df) || nrow(df) == 0) return(run)
  roles <- run$roles$census
  keys <- names(roles)[vapply(roles, function(r) nzchar(r$dictionary), logical(1))]
  levels <- lapply(keys, function(k) {
    codes <- sort(run$dictionaries[[roles[[k]]$dictionary]]$code)
    if (roles[[k]]$role == "route") c(codes, -1L) else codes
  })
  names(levels) <- keys
  periods <- unique(df[c("period", "period_end_day")])
  cells <- nrow(periods) * prod(lengths(levels))
  if (cells == nrow(df) || cells > 5e7) return(run)
  grid <- merge(periods, expand.grid(levels, KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE), by = NULL)
  full <- merge(grid, df, by = c("period", "period_end_day", keys), all.x = TRUE)
  for (col in names(roles))
    if (roles[[col]]$role == "value") {
      x <- full[[col]]
      x[is.na(x)] <- 0
      full[[col]] <- if (is.integer(df[[col]])) as.integer(x) else x
    }
  full <- full[do.call(order, full[c("period", keys)]), names(df)]
  rownames(full) <- NULL
  run$census <- full
  run
}

# --- Results folders (docs/OUTPUT.md, "Results folders") ---------------------

traineesim_run_keys <- c("scenario_sha256", "master_seed", "record_level")

# The manifest.toml of a variant folder as a list (the flat keys toml++ writes:
# strings, integers, lists of strings), or NULL when there is none.
read_manifest <- function(folder) {
  path <- file.path(folder, "manifest.toml")
  if (!file.exists(path)) return(NULL)
  lines <- tryCatch(readLines(path, warn = FALSE), error = function(e) traineesim_error(path, "cannot be read"))
  m <- list()
  for (line in lines) {
    hit <- regmatches(line, regexec("^([A-Za-z0-9_]+) = (.*)$", line))[[1]]
    if (length(hit) != 3) next
    v <- trimws(hit[3])
    m[[hit[2]]] <- if (grepl("^'.*'$", v)) substr(v, 2, nchar(v) - 1)
      else if (grepl('^".*"$', v)) gsub('\\\\(["\\\\])', "\\1", substr(v, 2, nchar(v) - 1))
      else if (grepl("^-?[0-9]+$", v)) as.numeric(v)
      else v
  }
  if (!identical(m$schema, "traineesim.manifest"))
    traineesim_error(path, "not a traineesim manifest (schema '", shown(m$schema), "')")
  if (!identical(m$schema_version, 1))
    traineesim_error(path, "schema version ", shown(m$schema_version), ", this loader reads 1")
  for (key in c("scenario_sha256", "record_level", "master_seed", "replications"))
    if (is.null(m[[key]])) traineesim_error(path, "no ", key)
  m
}

# The run files (run_<r>.h5) directly in `folder`, in replication order, then any other run_*.h5.
run_file_names <- function(folder) {
  names <- list.files(folder, pattern = "^run_.*\\.h5$")
  r <- suppressWarnings(ifelse(grepl("^run_(0|[1-9][0-9]*)\\.h5$", names),
                               as.numeric(sub("^run_([0-9]+)\\.h5$", "\\1", names)), Inf))
  names[order(r, names)]
}

is_sweep_folder <- function(folder) {
  parent <- dirname(normalizePath(folder))
  file.exists(file.path(folder, "sweep.h5")) || file.exists(file.path(parent, "sweep.h5")) ||
    any(grepl("^s[0-9]+$", list.dirs(folder, full.names = FALSE, recursive = FALSE)))
}

run_attributes <- function(path) {
  with_traineesim_file(path, function(f) {
    attrs <- hdf5r::h5attributes(f)
    check_schema(path, attrs)
    attrs
  })
}

# Checks that the run files of a variant folder are one run: their root
# attributes agree on scenario_sha256, master_seed and record_level, no
# replication is there twice, and, with a manifest.toml, they are its run's
# and exactly its replications 0..replications-1. Returns list(manifest,
# files); stops (class traineesim_error) naming the folder and the files.
check_folder <- function(folder) {
  if (!dir.exists(folder)) traineesim_error(folder, "no such folder")
  if (is_sweep_folder(folder))
    traineesim_error(folder, "a sweep's folder, not a run's (read it with load_sweep or load_results)")
  manifest <- read_manifest(folder)
  names <- run_file_names(folder)
  if (!length(names)) traineesim_error(folder, "no run files (run_<replication>.h5)")
  attrs <- lapply(file.path(folder, names), run_attributes)
  for (i in seq_along(names)[-1])
    for (key in traineesim_run_keys)
      if (!identical(as.character(attrs[[i]][[key]]), as.character(attrs[[1]][[key]])))
        traineesim_error(folder, "run files of different runs: ", names[1], " has ", key, " ",
                         shown(attrs[[1]][[key]]), ", ", names[i], " has ", shown(attrs[[i]][[key]]))
  reps <- vapply(attrs, function(a) as.numeric(a$replication), numeric(1))
  if (anyDuplicated(reps)) {
    d <- which(reps == reps[anyDuplicated(reps)])
    traineesim_error(folder, names[d[1]], " and ", names[d[2]], " are both replication ", reps[d[1]])
  }
  if (!is.null(manifest)) {
    for (key in traineesim_run_keys)
      if (!identical(as.character(attrs[[1]][[key]]), as.character(manifest[[key]])))
        traineesim_error(folder, names[1], " disagrees with manifest.toml: ", key, " ", shown(attrs[[1]][[key]]),
                         ", the manifest says ", shown(manifest[[key]]))
    expected <- sprintf("run_%d.h5", seq_len(manifest$replications) - 1L)
    if (!identical(names, expected)) {
      extra <- setdiff(names, expected)
      what <- if (length(extra)) paste0(extra[1], " is not one of its replications")
              else paste0(setdiff(expected, names)[1], " is missing")
      traineesim_error(folder, "manifest.toml says ", manifest$replications, " replication(s), ", what)
    }
  }
  list(manifest = manifest, files = file.path(folder, names))
}

# Every run file of a variant folder, in replication order, as load_run gives
# them, once check_folder has found them to be one run.
load_folder <- function(folder, labels = TRUE) {
  lapply(check_folder(folder)$files, load_run, labels = labels)
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

# --- One long table for analysts ---------------------------------------------

# A sweep index's root attributes, checked (schema_version 1 or 2).
check_sweep_schema <- function(path, f) {
  attrs <- hdf5r::h5attributes(f)
  if (!identical(attrs$schema, "traineesim.sweep"))
    traineesim_error(path, "not a traineesim sweep index (schema '", shown(attrs$schema), "')")
  version <- suppressWarnings(as.integer(attrs$schema_version))
  if (length(version) != 1 || is.na(version) || !version %in% c(1L, 2L))
    traineesim_error(path, "schema version ", shown(attrs$schema_version), ", this loader reads 1 or 2")
  version
}

# The /runs table of a sweep index (sweep.h5).
load_sweep_runs <- function(path) {
  with_traineesim_file(path, function(f) {
    check_sweep_schema(path, f)
    if (!f$exists("runs")) traineesim_error(path, "no /runs table")
    read_table_group(f[["runs"]], path, "/runs")
  })
}

# NaN -> NA in every double column of a data.frame.
na_not_nan <- function(df) {
  for (col in names(df)) if (is.double(df[[col]])) df[[col]][is.nan(df[[col]])] <- NA_real_
  df
}

# The state codes of a sweep table replaced by each row's variant's state
# names (a factor over every variant's names, the baseline's first), with
# period_end_date beside period_end_day; `extra` adds profession, band, role.
label_sweep_states <- function(path, df, variants, dictionaries, table, extra = FALSE) {
  all_names <- unique(unlist(lapply(dictionaries, function(d) d$states$name)))
  labels <- character(nrow(df))
  dates <- as.Date(rep(NA_real_, nrow(df)))
  profession <- role <- character(nrow(df))
  band <- integer(nrow(df))
  for (v in unique(variants)) {
    rows <- which(variants == v)
    d <- dictionaries[[v]]
    if (is.null(d)) traineesim_error(path, "/", table, ": variant '", shown(v), "' has no /dictionary/", shown(v))
    at <- match(df$state[rows], d$states$code)
    if (anyNA(at))
      traineesim_error(path, "/", table, "/state: code ", df$state[rows][is.na(at)][1], " is not in /dictionary/", v,
                       "/states")
    labels[rows] <- d$states$name[at]
    profession[rows] <- d$states$profession[at]
    role[rows] <- d$states$role[at]
    band[rows] <- as.integer(d$states$band[at])
    dates[rows] <- d$start_date + floor(df$period_end_day[rows])
  }
  df$state <- factor(labels, levels = all_names)
  at <- match("period_end_day", names(df))
  df <- data.frame(df[seq_len(at)], period_end_date = dates, df[-seq_len(at)], check.names = FALSE,
                   stringsAsFactors = FALSE)
  if (extra) {
    at <- match("state", names(df))
    df <- data.frame(df[seq_len(at)], profession = profession, band = band, role = role, df[-seq_len(at)],
                     check.names = FALSE, stringsAsFactors = FALSE)
  }
  df
}

# The tables of a sweep index (sweep.h5) as data.frames: runs, samples,
# aggregate, aggregate_paired; from schema_version 2 also dictionaries
# (variant -> states, events, routes, pools, attributes, start_date),
# runs_census (per done run, census by period and state, attributes summed,
# zero cells included), indicators (per done run) and indicators_paired (per
# policy variant and sample, comparison.csv's columns). Version 2 needs no run
# file: with `labels`, state codes become each row's variant's state names
# (runs_census gains profession, band, role) and period_end_date is added.
# Missing numbers are NA; runs$same_as_baseline is logical.
load_sweep <- function(path, labels = TRUE) {
  # The sweep's folder reads its sweep.h5, as load_results takes the folder.
  if (dir.exists(path) && file.exists(file.path(path, "sweep.h5"))) path <- file.path(path, "sweep.h5")
  out <- with_traineesim_file(path, function(f) {
    version <- check_sweep_schema(path, f)
    tables <- c("runs", "samples", "aggregate", "aggregate_paired",
                if (version >= 2L) c("runs_census", "indicators", "indicator_names", "indicators_paired"))
    out <- list()
    for (t in tables) {
      if (!f$exists(t)) traineesim_error(path, "no /", t, " table")
      out[[t]] <- na_not_nan(read_table_group(f[[t]], path, paste0("/", t)))
    }
    if (version >= 2L) {
      # Indicator codes named, each run's variant, sample and replication beside them.
      ind <- out$indicators
      at <- match(ind$indicator, out$indicator_names$code)
      if (anyNA(at))
        traineesim_error(path, "/indicators/indicator: code ", ind$indicator[is.na(at)][1], " is not in /indicator_names")
      run <- match(ind$run_index, out$runs$run_index)
      if (anyNA(run)) traineesim_error(path, "/indicators/run_index: a run that /runs does not list")
      out$indicators <- data.frame(run_index = ind$run_index, variant = out$runs$variant[run],
                                   sample = out$runs$sample[run], replication = out$runs$replication[run],
                                   indicator = out$indicator_names$name[at], value = ind$value,
                                   stringsAsFactors = FALSE)
      out$indicator_names <- NULL
      if (!f$exists("dictionary")) traineesim_error(path, "no /dictionary group")
      out$dictionaries <- list()
      for (v in f[["dictionary"]]$ls()$name) {
        g <- paste0("dictionary/", v)
        d <- list()
        for (name in c("states", "events", "routes", "pools"))
          d[[name]] <- read_dictionary(path, f, paste0(g, "/", name))
        d$attributes <- list()
        for (a in f[[paste0(g, "/attributes")]]$ls()$name)
          d$attributes[[a]] <- na_not_nan(read_dictionary(path, f, paste0(g, "/attributes/", a)))
        start <- hdf5r::h5attributes(f[[g]])$start_date
        d$start_date <- tryCatch(as.Date(start, format = "%Y-%m-%d"), error = function(e) NA)
        if (length(d$start_date) != 1 || is.na(d$start_date))
          traineesim_error(path, "/", g, ": start_date '", shown(start), "' is not a date")
        out$dictionaries[[v]] <- d
      }
    }
    out
  })
  out$runs$same_as_baseline <- out$runs$same_as_baseline == 1
  if (!is.null(out$dictionaries) && labels) {
    run_variant <- function(run_index) out$runs$variant[match(run_index, out$runs$run_index)]
    out$aggregate <- label_sweep_states(path, out$aggregate, out$aggregate$variant, out$dictionaries, "aggregate")
    out$aggregate_paired <- label_sweep_states(path, out$aggregate_paired, out$aggregate_paired$variant,
                                               out$dictionaries, "aggregate_paired")
    out$runs_census <- label_sweep_states(path, out$runs_census, run_variant(out$runs_census$run_index),
                                          out$dictionaries, "runs_census", extra = TRUE)
  }
  out
}

# load_results' rows from a sweep index alone (schema_version 2): its
# /runs_census, labelled, without census attribute columns.
sweep_census_rows <- function(sweep) {
  c <- sweep$runs_census
  at <- match(c$run_index, sweep$runs$run_index)
  data.frame(variant = sweep$runs$variant[at], sample = as.integer(sweep$runs$sample[at]),
             replication = as.integer(sweep$runs$replication[at]), period = c$period, date = c$period_end_date,
             state = c$state, profession = c$profession, band = c$band, role = c$role, headcount = c$headcount,
             fte = c$fte, stringsAsFactors = FALSE)
}

# The comparison indicators as a data.frame (indicator, policy, baseline_mean,
# policy_mean, difference, ci_low, ci_high, half_width_paired,
# half_width_unpaired, replications, same_as_baseline as logical; NA where a
# row has no value) from a
# compare output folder or its comparison.csv.
load_comparison <- function(path) {
  if (dir.exists(path)) path <- file.path(path, "comparison.csv")
  if (!file.exists(path)) traineesim_error(path, "no such file")
  df <- tryCatch(utils::read.csv(path, stringsAsFactors = FALSE, na.strings = "", check.names = FALSE),
                 error = function(e) traineesim_error(path, "cannot be read as CSV (", conditionMessage(e), ")"))
  columns <- c("indicator", "policy", "baseline_mean", "policy_mean", "difference", "ci_low", "ci_high",
               "half_width_paired", "half_width_unpaired", "replications", "same_as_baseline")
  if (!identical(names(df), columns))
    traineesim_error(path, "not a traineesim comparison.csv (columns ", shown(paste(names(df), collapse = ",")), ")")
  df$same_as_baseline <- df$same_as_baseline == 1
  df
}

# The labelled census of one run as long rows (see load_results).
census_rows <- function(run, variant, sample) {
  c <- run$census
  states <- run$dictionaries[["/dictionary/states"]]
  roles <- run$roles$census
  attributes <- sort(setdiff(names(roles)[vapply(roles, function(r) nzchar(r$dictionary), logical(1))], "state"))
  at <- match(as.character(c$state), states$name)
  out <- data.frame(variant = rep(variant, nrow(c)), sample = rep(as.integer(sample), nrow(c)),
                    replication = rep(as.integer(run$attrs$replication), nrow(c)), period = c$period,
                    date = c$period_end_date, state = c$state, profession = states$profession[at],
                    band = as.integer(states$band[at]), role = states$role[at], stringsAsFactors = FALSE)
  for (a in attributes) out[[a]] <- c[[a]]
  out$headcount <- c$headcount
  out$fte <- c$fte
  out
}

is_variant_folder <- function(path) {
  dir.exists(path) && (file.exists(file.path(path, "manifest.toml")) || length(run_file_names(path)) > 0)
}

# One long table of census headcount and FTE for every run under `path`: a
# variant folder, a run or compare output folder holding variant folders, or a
# sweep folder (its runs whose status is "done"; when some of their run files
# are gone, from sweep.h5 alone, schema_version 2: census attributes summed, so
# no attribute columns, with a warning). One row per (variant, sample,
# replication, period, state, census attribute levels), zero cells included;
# columns variant, sample (0 outside a sweep), replication, period, date (Date
# of period_end_day), state, profession, band, role, the census attributes in
# name order, headcount, fte. Each variant folder is checked with check_folder.
load_results <- function(path) {
  if (!dir.exists(path)) traineesim_error(path, "no such folder")
  frames <- list()
  index <- file.path(path, "sweep.h5")
  if (file.exists(index)) {
    runs <- load_sweep_runs(index)
    runs <- runs[runs$status == "done", ]
    if (!all(file.exists(file.path(path, runs$file)))) {
      sweep <- load_sweep(index)
      if (!is.null(sweep$runs_census)) {
        warning(path, ": run files not all there; the census comes from sweep.h5 (/runs_census), summed over the ",
                "census attributes", call. = FALSE)
        frames[[1]] <- sweep_census_rows(sweep)
        runs <- runs[0, ]
      }
    }
    for (i in seq_len(nrow(runs))) {
      run <- load_run(file.path(path, runs$file[i]))
      # A sweep's run file is the run its index lists (a file copied in from elsewhere is refused).
      for (key in c("scenario_sha256", "master_seed", "replication")) {
        expected <- runs[[if (key == "master_seed") "seed" else key]][i]
        if (!identical(as.character(run$attrs[[key]]), as.character(expected)))
          traineesim_error(path, runs$file[i], " is not the run sweep.h5 lists: ", key, " ", shown(run$attrs[[key]]),
                           ", the index says ", shown(expected))
      }
      frames[[i]] <- census_rows(run, runs$variant[i], runs$sample[i])
    }
  } else {
    variants <- if (is_variant_folder(path)) setNames(path, basename(normalizePath(path))) else {
      found <- list.dirs(path, full.names = FALSE, recursive = FALSE)
      found <- found[vapply(file.path(path, found), is_variant_folder, logical(1))]
      found <- found[order(found != "baseline", found)]
      setNames(file.path(path, found), found)
    }
    for (v in names(variants))
      for (run in load_folder(variants[[v]])) frames[[length(frames) + 1]] <- census_rows(run, v, 0L)
  }
  if (!length(frames))
    traineesim_error(path, "no run files (neither a variant folder, nor one holding variant folders, nor a sweep's)")
  out <- do.call(rbind, frames)
  out$variant <- factor(out$variant, levels = unique(out$variant))
  rownames(out) <- NULL
  out
}
