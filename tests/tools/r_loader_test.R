# The R loader reads a file the simulator writes here, with labels applied.
# usage: Rscript r_loader_test.R TRAINEESIM SOURCE_DIR WORK_DIR
args <- commandArgs(trailingOnly = TRUE)
binary <- args[1]; source_dir <- args[2]; work <- args[3]
unlink(work, recursive = TRUE)
dir.create(work, recursive = TRUE)
status <- system2(binary, c("run", file.path(source_dir, "scenarios/cyp_psychological_professions.toml"),
                            "-q", "--seed", "4", "--out", work), stdout = FALSE)
stopifnot(status == 0)
source(file.path(source_dir, "tools/R/traineesim.R"))
run <- load_run(file.path(work, "baseline/run_0.h5"))
fails <- 0
check <- function(ok, msg) if (!isTRUE(ok)) { message("FAIL: ", msg); fails <<- fails + 1 }
check(run$attrs$scenario_name == "cyp-psychological-professions", "scenario name attribute")
check(nrow(run$persons) == sum(is.na(run$events$from_state)), "one arrival event per person")
check(all(levels(run$persons$ethnicity) == c("White", "Asian", "Black", "Mixed", "Other")), "ethnicity labels")
check(all(!is.na(run$census$state)), "every census state labelled")
check("initial_stock" %in% as.character(run$persons$route), "stock route label")
check(is.factor(run$events$event) && "supervision_start" %in% levels(run$events$event), "event labels")
raw <- load_run(file.path(work, "baseline/run_0.h5"), labels = FALSE)
check(sum(raw$census$headcount) == sum(run$census$headcount), "labels do not change the numbers")
check(all(diff(run$events$day) >= 0), "events in day order")
check(grepl("[scenario]", run$scenario, fixed = TRUE), "resolved scenario text")
if (fails > 0) quit(status = 1)
cat("1 passed, 0 failed\n")
