"""Run the hello-world dataflow: python examples/hello_world/run.py"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import my_functions

from hamilton import driver


def main() -> dict:
    dr = driver.Builder().with_modules(my_functions).build()
    inputs = {
        "spend": [10.0, 10.0, 20.0, 40.0, 40.0, 50.0] * 4,
        "signups": [1, 10, 50, 100, 200, 400] * 4,
    }
    outputs = ["report", "spend_per_signup", "spend_zero_mean_unit_variance"]
    results = dr.execute(outputs, inputs=inputs)
    print(results["report"])
    print("spend per signup (first week):", [round(v, 3) for v in results["spend_per_signup"][:7]])
    print("standardised spend (first week):", [round(v, 3) for v in results["spend_zero_mean_unit_variance"][:7]])
    return results


if __name__ == "__main__":
    main()
