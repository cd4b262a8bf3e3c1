"""traineesim from Python: load a scenario, run it in memory, get DataFrames.

    import traineesim
    scenario = traineesim.load("scenarios/cyp_psychological_professions.toml",
                               set={"scenario.horizon_years": 3})
    results = scenario.run(replications=3, seed=1)
    results.census.groupby(["period_end_day", "state"], observed=True).headcount.mean()
    traineesim.compare(scenario, ["scenarios/policies/cwp_emhp_career_ladder.toml"], replications=10)

python/README.md documents the API.
"""
from ._core import ScenarioError, SimulationError, __version__, git_describe
from ._api import Results, Scenario, ScenarioWarning, compare, load, load_text

__all__ = ["Results", "Scenario", "ScenarioError", "ScenarioWarning", "SimulationError", "compare", "load", "load_text",
           "__version__", "git_describe"]
