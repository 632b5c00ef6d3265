namespace Switchboard.Tests.Stress;

/// <summary>
/// Stress specs run alone, after the parallel ones: they measure the process (threads, memory, unobserved
/// task exceptions, the Switchboard meter), which other specs running beside them would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressCollection
{
    public const string Name = "Stress";
}
