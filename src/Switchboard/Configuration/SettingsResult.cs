using System.Collections.Immutable;
using Akka.Configuration;

namespace Switchboard.Configuration;

/// <summary>
/// What reading a config found. <see cref="Settings"/> is null only when something outside the endpoint
/// list is wrong; a malformed endpoint is left out of <c>Settings.Endpoints</c> and reported in
/// <see cref="Problems"/>, so at run time one bad line does not take the other endpoints down.
/// </summary>
/// <param name="Config">The merged config (yours over reference.conf), null if the file could not be parsed.</param>
public sealed record SettingsResult(SwitchboardSettings? Settings, ImmutableArray<ConfigProblem> Problems, Config? Config)
{
    /// <summary>True when there is nothing to report, as <c>switchboard check</c> requires.</summary>
    public bool IsValid => Settings is not null && Problems.IsEmpty;

    /// <summary>The settings, or every problem as a <see cref="SwitchboardConfigException"/>.</summary>
    public SwitchboardSettings GetValidOrThrow() =>
        IsValid ? Settings! : throw new SwitchboardConfigException(Problems);
}
