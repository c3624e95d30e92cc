# The company pages.
