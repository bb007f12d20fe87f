namespace Metrix.Tests.Support;

/// <summary>
/// Tests that measure the whole process (its heap) and must not share it with other tests: xunit
/// runs this collection on its own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone";
}
