# The R loader on bad files (tests/tools/bad_files.py makes them): each class
# of damage stops with an error of class "traineesim_error" whose one-line
# message starts with the file's path and says what is wrong.
# usage: Rscript r_loader_bad_files_test.R PYTHON TRAINEESIM SOURCE_DIR WORK_DIR
args <- commandArgs(trailingOnly = TRUE)
python <- args[1]; binary <- args[2]; source_dir <- args[3]; work <- args[4]
status <- system2(python, c(file.path(source_dir, "tests/tools/bad_files.py"), binary, source_dir, work))
stopifnot(status == 0)
source(file.path(source_dir, "tools/R/traineesim.R"))
cases <- read.delim(file.path(work, "manifest.tsv"), header = FALSE, quote = "", stringsAsFactors = FALSE,
                    col.names = c("name", "loader", "path", "expected"), na.strings = character())
fails <- 0
check <- function(ok, msg) if (!isTRUE(ok)) { message("FAIL: ", msg); fails <<- fails + 1 }
good <- load_run(cases$path[cases$name == "good"])
check(nrow(good$events) > 0 && is.factor(good$events$event), "the good file loads, labelled")
ran <- 0
for (i in which(cases$loader == "run" & cases$name != "good")) {
  c <- cases[i, ]
  e <- tryCatch({ load_run(c$path); NULL }, error = function(e) e)
  ran <- ran + 1
  if (is.null(e)) { check(FALSE, paste(c$name, "loaded without an error")); next }
  m <- conditionMessage(e)
  check(inherits(e, "traineesim_error"), paste(c$name, "error class:", paste(class(e), collapse = " ")))
  check(startsWith(m, paste0(c$path, ": ")), paste(c$name, "names the file:", m))
  check(grepl(c$expected, m, fixed = TRUE), paste0(c$name, ": expected '", c$expected, "' in: ", m))
  check(!grepl("\n", m, fixed = TRUE), paste(c$name, "one line:", m))
}
check(ran >= 18, paste("run-file cases:", ran))
if (fails > 0) quit(status = 1)
cat(ran, "bad files, 1 passed, 0 failed\n")
