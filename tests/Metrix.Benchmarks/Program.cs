using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Metrix.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
