using System.Collections.Immutable;

namespace Switchboard.Configuration;

/// <summary>A config that cannot be used, with every problem found (not just the first), one per line in the message.</summary>
public sealed class SwitchboardConfigException : Exception
{
    public SwitchboardConfigException(IEnumerable<ConfigProblem> problems)
        : this(problems.ToImmutableArray())
    {
    }

    private SwitchboardConfigException(ImmutableArray<ConfigProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public ImmutableArray<ConfigProblem> Problems { get; }

    private static string Describe(ImmutableArray<ConfigProblem> problems) => problems.Length switch
    {
        0 => "invalid Switchboard configuration",
        1 => $"invalid Switchboard configuration: {problems[0]}",
        _ => $"invalid Switchboard configuration ({problems.Length} problems):{Environment.NewLine}"
            + string.Join(Environment.NewLine, problems.Select(p => "  " + p)),
    };
}
