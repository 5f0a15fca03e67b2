using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(SbdServer.Benchmarks.SigningBenchmarks).Assembly).Run(args);
