using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Switchboard.Configuration;

/// <summary>
/// Reads <c>switchboard.endpoints</c> one entry at a time, so a malformed entry is rejected alone:
/// the supervisor keeps the others running (a reload with one typo must not drop thousands of links),
/// while <c>check</c> still reports every problem.
/// </summary>
internal static class EndpointReader
{
    public const string ListPath = "switchboard.endpoints";

    private static readonly string[] Keys = ["name", "host", "port"];

    /// <summary>Parses one endpoint object <c>{ name, host, port }</c>.</summary>
    /// <param name="path">Shown in problems, e.g. <c>switchboard.endpoints[3]</c>.</param>
    /// <param name="problems">Every problem of this entry (empty on success).</param>
    public static bool TryParse(
        Config endpoint,
        string path,
        [NotNullWhen(true)] out EndpointSettings? settings,
        out ImmutableArray<ConfigProblem> problems)
    {
        var found = new List<ConfigProblem>();
        var reader = new ConfigReader(endpoint, path, found);

        foreach (var key in endpoint.AsEnumerable().Select(kv => kv.Key))
        {
            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                reader.Problem(key, "unknown setting (an endpoint has only name, host and port)");
            }
        }

        var name = reader.Text("name");
        if (name is not null && EndpointRules.NameProblem(name) is { } nameProblem)
        {
            reader.Problem("name", nameProblem);
        }

        var host = reader.Text("host");
        if (host is not null && EndpointRules.HostProblem(host) is { } hostProblem)
        {
            reader.Problem("host", hostProblem);
        }

        var port = reader.Int("port", EndpointRules.MinPort, EndpointRules.MaxPort);

        problems = [.. found];
        settings = problems.IsEmpty ? new EndpointSettings(name!, Unbracket(host!), port) : null;
        return settings is not null;
    }

    /// <summary>Reads the endpoint list of a (merged) config: the good entries, and a problem for each bad or duplicate one.</summary>
    public static EndpointListResult ReadList(Config config)
    {
        var problems = new List<ConfigProblem>();
        var reader = new ConfigReader(config, string.Empty, problems);
        var list = reader.Value(ListPath);
        if (list is null || list.IsEmpty)
        {
            return new EndpointListResult([], []);
        }

        // Akka's parser does not mark an empty list `[]` as an array; anything else that is neither a
        // scalar nor an object is one.
        if (list.IsString() || list.IsObject())
        {
            problems.Add(new ConfigProblem(ListPath, "must be a list of { name, host, port } objects"));
            return new EndpointListResult([], [.. problems]);
        }

        return ReadList([.. list.GetArray()], ListPath);
    }

    /// <summary>Reads list elements; <paramref name="path"/> is the list's path, entries are shown as <c>path[i]</c>.</summary>
    public static EndpointListResult ReadList(IReadOnlyList<HoconValue> entries, string path)
    {
        var problems = new List<ConfigProblem>();
        var endpoints = ImmutableArray.CreateBuilder<EndpointSettings>(entries.Count);
        var firstByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        for (var i = 0; i < entries.Count; i++)
        {
            var entryPath = $"{path}[{i}]";
            var entry = entries[i];
            if (!entry.IsObject())
            {
                problems.Add(new ConfigProblem(entryPath, $"must be an object {{ name, host, port }}, got {Describe(entry)}"));
                continue;
            }

            if (!TryParse(new Config(new HoconRoot(entry)), entryPath, out var endpoint, out var entryProblems))
            {
                problems.AddRange(entryProblems);
                continue;
            }

            if (firstByName.TryGetValue(endpoint.Name, out var first))
            {
                problems.Add(new ConfigProblem($"{entryPath}.name", $"duplicate of {path}[{first}] ('{endpoint.Name}')"));
                continue;
            }

            firstByName.Add(endpoint.Name, i);
            endpoints.Add(endpoint);
        }

        return new EndpointListResult(endpoints.ToImmutable(), [.. problems]);
    }

    private static string Unbracket(string host) =>
        host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;

    private static string Describe(HoconValue value) =>
        value.IsArray() ? "a list" : value.IsEmpty ? "nothing" : $"'{value.GetString()}'";
}
