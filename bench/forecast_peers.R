# R's forecast package (Hyndman et al.) peers for bench/forecast_peers.py: dshw and tbats.
#
# Set-up on this machine (done by hand, never by scripts/setup.sh):
#   apt-get install -y r-cran-forecast        # Debian 12: forecast 8.20
# Called by forecast_peers.py as:
#   Rscript bench/forecast_peers.R WORKDIR [SERIES]
# WORKDIR holds train_<series>_<k>.csv (column y: the regular grid with absent days re-inserted)
# and meta_<series>.csv (period1, period2, horizon, tbats_weeks, dshw_weeks). Origins run from
# the last to the first, so an interrupted run still has the latest ones. Writes
# out_<series>_<k>_<model>.csv (mean, lower, upper) and timing_<series>_<k>_<model>.txt [s].
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
only_series <- if (length(args) > 1) args[2] else ""
only <- ""
for (meta_file in list.files(dir, pattern = "^meta_.*\\.csv$", full.names = TRUE)) {
  series <- sub("^meta_(.*)\\.csv$", "\\1", basename(meta_file))
  if (only_series != "" && series != only_series) next
  meta <- read.csv(meta_file)
  p1 <- meta$period1; p2 <- meta$period2; h <- meta$horizon
  trains <- list.files(dir, pattern = paste0("^train_", series, "_[0-9]+\\.csv$"), full.names = TRUE)
  trains <- trains[order(-as.integer(sub(".*_([0-9]+)\\.csv$", "\\1", trains)))]
  for (f in trains) {
    k <- sub(paste0("^train_", series, "_([0-9]+)\\.csv$"), "\\1", basename(f))
    y <- read.csv(f)$y
    run <- function(model, fitfun) {
      if (only != "" && only != model) return(invisible())
      out_file <- file.path(dir, sprintf("out_%s_%s_%s.csv", series, k, model))
      if (file.exists(out_file)) return(invisible())  # reuse an earlier run
      t0 <- proc.time()[["elapsed"]]
      fc <- tryCatch(fitfun(), error = function(e) { message(model, ": ", conditionMessage(e)); NULL })
      el <- proc.time()[["elapsed"]] - t0
      if (is.null(fc)) return(invisible())
      lower <- if (!is.null(fc$lower) && length(fc$lower) > 0) as.numeric(fc$lower[, 1]) else rep(NA, h)
      upper <- if (!is.null(fc$upper) && length(fc$upper) > 0) as.numeric(fc$upper[, 1]) else rep(NA, h)
      write.csv(data.frame(mean = as.numeric(fc$mean), lower = lower, upper = upper),
                file.path(dir, sprintf("out_%s_%s_%s.csv", series, k, model)), row.names = FALSE)
      writeLines(sprintf("%.6f", el), file.path(dir, sprintf("timing_%s_%s_%s.txt", series, k, model)))
      message(sprintf("%s origin %s %s: %.1f s", series, k, model, el))
    }
    # Taylor's double-seasonal Holt-Winters (no prediction intervals in forecast::dshw).
    # dshw is multiplicative and refuses zeros (Israeli nights): fit y + 1, subtract 1. Fitted
    # on the last dshw_weeks weeks to bound its run time (minutes per fit on the full history).
    run("dshw", function() {
      yy <- tail(y, meta$dshw_weeks * p2)
      off <- if (min(yy) <= 0) 1 else 0
      fc <- dshw(yy + off, period1 = p1, period2 = p2, h = h)
      fc$mean <- fc$mean - off
      fc
    })
    # TBATS (De Livera, Hyndman & Snyder 2011) on the last tbats_weeks weeks to bound its run
    # time (a full fit takes many minutes per origin on this machine); 80 % intervals.
    run("tbats", function() {
      yy <- tail(y, meta$tbats_weeks * p2)
      fit <- tbats(msts(yy, seasonal.periods = c(p1, p2)), use.parallel = FALSE)
      forecast(fit, h = h, level = 80)
    })
  }
}
