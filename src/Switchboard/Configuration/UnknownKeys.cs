using Akka.Configuration.Hocon;

namespace Switchboard.Configuration;

/// <summary>
/// Compares the <c>switchboard</c> tree of a merged config with reference.conf: a key reference.conf
/// does not have is a typo (<c>hanshake-timeout</c>) that would otherwise fall back to the default in
/// silence, and a scalar where reference.conf has a section (<c>io = 4</c>) would be ignored.
/// </summary>
internal static class UnknownKeys
{
    /// <summary>Subtrees whose keys are not Switchboard's to police: Akka's dispatcher settings, and the endpoint list (checked per entry).</summary>
    private static readonly HashSet<string> Open = new(StringComparer.Ordinal)
    {
        SettingsLoader.DispatcherId,
        "switchboard.supervision.supervisor-dispatcher",
        "switchboard.supervision.endpoint-dispatcher",
        EndpointReader.ListPath,
    };

    public static void Check(HoconValue? merged, HoconValue reference, string path, List<ConfigProblem> problems)
    {
        if (merged is null || Open.Contains(path) || !reference.IsObject())
        {
            return;
        }

        if (!merged.IsObject())
        {
            problems.Add(new ConfigProblem(path, "must be an object { ... }"));
            return;
        }

        var known = reference.GetObject().Items;
        foreach (var (key, value) in merged.GetObject().Items)
        {
            var childPath = $"{path}.{key}";
            if (!known.TryGetValue(key, out var referenceValue))
            {
                problems.Add(new ConfigProblem(childPath, "unknown setting (not in reference.conf; a typo?)"));
                continue;
            }

            Check(value, referenceValue, childPath, problems);
        }
    }
}
