"""Run the polars signups dataflow: python examples/polars_signups/run.py

Needs polars support: pip install "apache-hamilton[polars]" (hamilton-polars). The result
builder turns the requested columns into one polars DataFrame. The pandas twin of this
example is examples/pandas_signups/.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from hamilton import driver

OUTPUTS = ["spend", "signups", "avg_3wk_spend", "acquisition_cost", "spend_zero_mean_unit_variance"]


def main() -> None:
    try:
        import polars as pl

        from hamilton.plugins import h_polars
    except ImportError:
        print('polars_signups: polars support is not installed (pip install "apache-hamilton[polars]")')
        return

    import my_functions

    dr = driver.Builder().with_modules(my_functions).with_adapters(h_polars.PolarsDataFrameResult()).build()
    inputs = {
        "signups": pl.Series([1, 10, 50, 100, 200, 400]),
        "spend": pl.Series([10.0, 10.0, 20.0, 40.0, 40.0, 50.0]),
    }
    df = dr.execute(OUTPUTS, inputs=inputs)
    assert isinstance(df, pl.DataFrame)
    print(f"polars DataFrame {df.shape}: {', '.join(df.columns)}")
    print(f"{df['signups'].sum()} signups for ${df['spend'].sum():.2f} over {df.height} weeks")
    for week, row in enumerate(df.iter_rows(named=True), start=1):
        cost = row["acquisition_cost"]
        cost_text = "   n/a" if cost is None else f"{cost:6.3f}"
        print(
            f"week {week}: cost per signup {cost_text}, standardised spend {row['spend_zero_mean_unit_variance']:+.3f}"
        )


if __name__ == "__main__":
    main()
