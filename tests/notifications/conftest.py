from tests.deadlines.conftest import eager_tasks

__all__ = ["eager_tasks"]
