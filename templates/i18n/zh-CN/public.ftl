# The public pages.
