# The matching pages.
