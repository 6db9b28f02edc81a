"""Analysis of a finished grid: paired bootstrap confidence intervals, language metadata, transfer gaps
and plots. Light on purpose (numpy, pandas, matplotlib; no torch), so aggregation rules stay local."""
