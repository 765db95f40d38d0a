import os

# pandera warns about `import pandera as pa` (pandas classes from the top-level module); the tests
# import pandera.pandas / pandera.polars, but keep the warning out of other imports' way.
os.environ.setdefault("DISABLE_PANDERA_IMPORT_WARNING", "True")
