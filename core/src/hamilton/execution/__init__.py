"""The execution engine: plans (:mod:`.plan`) and the runners that execute them (:mod:`.runner`)."""
