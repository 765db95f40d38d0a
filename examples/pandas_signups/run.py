"""Run the pandas signups dataflow: python examples/pandas_signups/run.py

Needs pandas support: pip install "apache-hamilton[pandas]" (hamilton-pandas). The result
builder (1.x's ``base.PandasDataFrameResult``) turns the requested columns into one pandas
DataFrame, aligned on the index. The polars twin of this example is examples/polars_signups/.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from hamilton import base, driver

OUTPUTS = ["spend", "signups", "avg_3wk_spend", "acquisition_cost", "spend_zero_mean_unit_variance"]


def main() -> None:
    try:
        import pandas as pd

        result_builder = base.PandasDataFrameResult()
    except ImportError:
        print('pandas_signups: pandas support is not installed (pip install "apache-hamilton[pandas]")')
        return

    import my_functions

    dr = driver.Builder().with_modules(my_functions).with_adapters(result_builder).build()
    inputs = {
        "signups": pd.Series([1, 10, 50, 100, 200, 400]),
        "spend": pd.Series([10.0, 10.0, 20.0, 40.0, 40.0, 50.0]),
    }
    df = dr.execute(OUTPUTS, inputs=inputs)
    assert isinstance(df, pd.DataFrame)
    print(f"pandas DataFrame {df.shape}: {', '.join(df.columns)}")
    print(f"{df['signups'].sum()} signups for ${df['spend'].sum():.2f} over {len(df)} weeks")
    for week, row in enumerate(df.itertuples(index=False), start=1):
        cost = row.acquisition_cost
        cost_text = "   n/a" if pd.isna(cost) else f"{cost:6.3f}"
        print(f"week {week}: cost per signup {cost_text}, standardised spend {row.spend_zero_mean_unit_variance:+.3f}")


if __name__ == "__main__":
    main()
