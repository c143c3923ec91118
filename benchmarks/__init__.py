"""Benchmarks: the speed of each main job, as a ratio to what the bare libraries need."""
