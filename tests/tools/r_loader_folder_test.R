# The R loader on results folders (docs/OUTPUT.md, "Results folders" and
# "Dates in the loaders"): load_folder reads a variant folder holding one run
# and stops, naming the files, on one whose run files disagree; day columns get
# Dates (NA where the day is missing), flags are logical, census cells with
# nobody in them are there.
# usage: Rscript r_loader_folder_test.R TRAINEESIM SOURCE_DIR WORK_DIR
args <- commandArgs(trailingOnly = TRUE)
binary <- args[1]; source_dir <- args[2]; work <- args[3]
unlink(work, recursive = TRUE)
dir.create(work, recursive = TRUE)
source(file.path(source_dir, "tools/R/traineesim.R"))
scenario <- file.path(source_dir, "scenarios/cyp_psychological_professions.toml")
simulate <- function(name, ...) {
  out <- file.path(work, name)
  stopifnot(system2(binary, c("run", scenario, "-q", "--out", out, ...), stdout = FALSE) == 0)
  file.path(out, "baseline")
}
seed4 <- simulate("seed4", "-r", "2", "--seed", "4")
seed5 <- simulate("seed5", "-r", "2", "--seed", "5")

fails <- 0
check <- function(ok, msg) if (!isTRUE(ok)) { message("FAIL: ", msg); fails <<- fails + 1 }
refused <- function(folder, expected) {
  e <- tryCatch({ load_folder(folder); NULL }, traineesim_error = function(e) conditionMessage(e))
  check(!is.null(e) && startsWith(e, paste0(folder, ": ")) && grepl(expected, e, fixed = TRUE),
        paste0("refused with '", expected, "', got: ", if (is.null(e)) "no error" else e))
}
copy_folder <- function(name, from) {
  dest <- file.path(work, name, "baseline")
  dir.create(dest, recursive = TRUE)
  invisible(file.copy(list.files(from, full.names = TRUE), dest))
  dest
}

runs <- load_folder(seed4)
check(length(runs) == 2 && runs[[2]]$attrs$replication == 1, "both replications, in order")
check(read_manifest(seed4)$master_seed == 4 && read_manifest(seed4)$record_level == "full", "the manifest")

mixed <- copy_folder("mixed", seed4)
invisible(file.remove(file.path(mixed, "manifest.toml")))
invisible(file.copy(file.path(seed5, "run_1.h5"), file.path(mixed, "run_1.h5"), overwrite = TRUE))
refused(mixed, "run files of different runs: run_0.h5 has master_seed 4, run_1.h5 has 5")
other <- copy_folder("other", seed5)
invisible(file.copy(file.path(seed4, "manifest.toml"), file.path(other, "manifest.toml"), overwrite = TRUE))
refused(other, "run_0.h5 disagrees with manifest.toml: master_seed 5, the manifest says 4")
missing <- copy_folder("missing", seed4)
invisible(file.remove(file.path(missing, "run_1.h5")))
refused(missing, "manifest.toml says 2 replication(s), run_1.h5 is missing")
sweep_like <- copy_folder("sweep_like", seed4)
invisible(file.create(file.path(dirname(sweep_like), "sweep.h5")))
refused(sweep_like, "a sweep's folder, not a run's")

run <- runs[[1]]
start <- as.Date(run$attrs$start_date)
check(inherits(run$persons$exit_date, "Date"), "exit_date is a Date")
check(identical(which(is.na(run$persons$exit_day)), which(is.na(run$persons$exit_date))), "NA days give NA dates")
check(!any(is.nan(run$persons$exit_day)), "no NaN, NA instead")
known <- !is.na(run$persons$exit_day)
check(all(as.numeric(run$persons$exit_date[known] - start) == floor(run$persons$exit_day[known])),
      "exit_date = start_date + floor(exit_day)")
check(all(as.numeric(run$events$date - start) == floor(run$events$day)), "events: date beside day")
check(match("date", names(run$events)) == match("day", names(run$events)) + 1, "date right after day")
check(inherits(run$census$period_end_date, "Date"), "census period_end_date")
check(any(run$persons$qualified_date < start, na.rm = TRUE), "stock qualified before the run")
check(is.logical(run$persons$is_initial_stock), "flags are logical")

raw <- load_run(file.path(seed4, "run_0.h5"), labels = FALSE)
keys <- c("period", "ethnicity", "region", "route", "state")
check(nrow(unique(raw$census[keys])) == nrow(raw$census), "one census row per cell")
check(any(raw$census$headcount == 0), "zero cells are in the file")
thinned <- raw
thinned$census <- raw$census[raw$census$headcount > 0, setdiff(names(raw$census), "period_end_date")]
thinned <- complete_census(thinned)
full <- raw$census[setdiff(names(raw$census), "period_end_date")]
o1 <- do.call(order, full[keys]); o2 <- do.call(order, thinned$census[keys])
a <- full[o1, ]; b <- thinned$census[o2, names(full)]
rownames(a) <- NULL; rownames(b) <- NULL
check(isTRUE(all.equal(a, b)), "the loader fills the cells a file omits, with zeros")

# One long table: a run folder, a compare folder (and its comparison.csv), a sweep folder.
t <- load_results(seed4)
check(identical(names(t)[1:9], c("variant", "sample", "replication", "period", "date", "state", "profession",
                                 "band", "role")) && identical(tail(names(t), 2), c("headcount", "fte")),
      "long table columns")
check(nrow(t) == 2 * nrow(run$census) && sum(t$headcount[t$replication == 0]) == sum(run$census$headcount),
      "every census row of every replication")
check(inherits(t$date, "Date") && min(t$date) == min(run$census$period_end_date), "dates from the first census")
check(length(unique(t$state[t$period == 0])) == nrow(run$dictionaries[["/dictionary/states"]]),
      "zero cells from the start")
compare <- file.path(work, "compare")
stopifnot(system2(binary, c("compare", scenario, "--policy",
                            file.path(source_dir, "scenarios/policies/supervisor_training.toml"),
                            "-r", "2", "--seed", "4", "-q", "--out", compare), stdout = FALSE) == 0)
both <- load_results(compare)
check(identical(levels(both$variant), c("baseline", "supervisor-training")), "compare: baseline first")
cmp <- load_comparison(compare)
check(nrow(cmp) > 20 && all(cmp$policy == "supervisor-training") && any(is.na(cmp$baseline_mean)) &&
      is.integer(cmp$replications), "comparison.csv as a data.frame")
sweep <- file.path(work, "sweep")
stopifnot(system2(binary, c("sweep", file.path(source_dir, "scenarios/sweeps/small.toml"), "-q", "--threads", "2",
                            "--out", sweep), stdout = FALSE) == 0)
swept <- load_results(sweep)
runs <- load_sweep_runs(file.path(sweep, "sweep.h5"))
check(nrow(unique(swept[c("variant", "sample", "replication")])) == nrow(runs), "sweep: every run")
check(setequal(unique(swept$sample), unique(runs$sample)), "sweep: its samples")
invisible(file.copy(file.path(sweep, "baseline/s0/run_0.h5"), file.path(sweep, "baseline/s0/run_1.h5"),
                    overwrite = TRUE))
e <- tryCatch({ load_results(sweep); "" }, traineesim_error = function(e) conditionMessage(e))
check(grepl("baseline/s0/run_1.h5 is not the run sweep.h5 lists: replication 0, the index says 1", e, fixed = TRUE),
      paste("a swapped sweep run file is refused:", e))

# sweep.h5 alone (schema_version 2): the run files deleted, load_sweep gives
# labelled tables and load_results the census by state (attributes summed).
definition <- file.path(work, "alone.toml")
writeLines(c("[sweep]", 'name = "alone"', paste0('scenario = "', scenario, '"'),
             paste0('policies = ["', file.path(source_dir, "scenarios/policies/supervisor_training.toml"), '"]'),
             "replications = 2", "seed = 3", 'record = "census"', "[grid]",
             '"parameters.training_dropout" = [0.03, 0.08]'), definition)
full_sweep <- file.path(work, "alone_full")
stopifnot(system2(binary, c("sweep", definition, "-q", "--threads", "2", "--out", full_sweep), stdout = FALSE) == 0)
with_files <- load_results(full_sweep)
full <- load_sweep(file.path(full_sweep, "sweep.h5"))
alone_dir <- file.path(work, "alone_no_runs")
dir.create(alone_dir)
invisible(file.copy(list.files(full_sweep, full.names = TRUE), alone_dir, recursive = TRUE))
removed <- list.files(alone_dir, pattern = "^run_.*[.]h5$", recursive = TRUE, full.names = TRUE)
check(length(removed) == 8 && all(file.remove(removed)), "the 8 run files deleted")
alone <- load_sweep(alone_dir)  # the folder, as load_results takes it
for (t in c("runs", "samples", "aggregate", "aggregate_paired", "runs_census", "indicators", "indicators_paired"))
  check(identical(alone[[t]], full[[t]]), paste("load_sweep without run files:", t))
check(identical(names(alone$dictionaries), c("baseline", "supervisor-training")), "a dictionary per variant")
run0 <- load_run(file.path(full_sweep, "baseline/s0/run_0.h5"))
check(identical(alone$dictionaries$baseline$states$name, run0$dictionaries[["/dictionary/states"]]$name),
      "the baseline's states as in its run files")
check(is.factor(alone$aggregate$state) && !anyNA(alone$aggregate$state), "aggregate states labelled")
check(inherits(alone$runs_census$period_end_date, "Date"), "dates beside the days")
check(is.logical(alone$runs$same_as_baseline), "flags are logical")
check(!any(is.nan(alone$indicators$value)), "NA, never NaN")
check(all(c("profession", "band", "role") %in% names(alone$runs_census)), "runs_census has profession, band, role")
fte <- alone$indicators[alone$indicators$indicator == "qualified FTE in post at the horizon", ]
paired <- alone$indicators_paired[alone$indicators_paired$indicator == "qualified FTE in post at the horizon", ]
for (k in 0:1) {
  gain <- mean(fte$value[fte$variant == "supervisor-training" & fte$sample == k] -
               fte$value[fte$variant == "baseline" & fte$sample == k])
  check(isTRUE(all.equal(paired$difference[paired$sample == k], gain)), paste("paired FTE gain, sample", k))
}
warned <- NULL
t <- withCallingHandlers(load_results(alone_dir), warning = function(w) {
  warned <<- conditionMessage(w)
  invokeRestart("muffleWarning")
})
check(grepl("run files not all there", warned, fixed = TRUE), paste("load_results warns:", warned))
keys <- c("variant", "sample", "replication", "period", "date", "state", "profession", "band", "role")
check(identical(names(t), c(keys, "headcount", "fte")), paste("columns:", paste(names(t), collapse = ",")))
summed <- function(x) {
  x <- x[c(keys, "headcount", "fte")]
  for (k in c("variant", "state")) x[[k]] <- as.character(x[[k]])
  a <- aggregate(cbind(headcount, fte) ~ ., data = x, FUN = sum)
  a[do.call(order, a[keys]), ]
}
a <- summed(t)
b <- summed(with_files)
check(nrow(a) == nrow(b) && identical(a$headcount, b$headcount) && isTRUE(all.equal(a$fte, b$fte)),
      "load_results without run files = with them, summed over the census attributes")

if (fails > 0) quit(status = 1)
cat("r_loader_folder_test: all passed\n")
