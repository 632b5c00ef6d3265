using System.Collections.Concurrent;
using Switchboard.Configuration;

namespace Switchboard.Cluster;

/// <summary>
/// The configured endpoints on this node, by name (every node runs the same configuration; it is the
/// source of truth, so nothing about the endpoint set is stored in the cluster). A reload replaces them
/// and remembers which names left, for the reconciler to retire. Thread-safe.
/// </summary>
internal sealed class EndpointDirectory
{
    private readonly Lock _lock = new();
    private readonly ConcurrentQueue<string> _removed = new();
    private Dictionary<string, EndpointSettings> _endpoints;

    public EndpointDirectory(IEnumerable<EndpointSettings> endpoints) => _endpoints = Index(endpoints);

    /// <summary>Entity ids are names in lower case: names are DNS names, equal regardless of case.</summary>
    public static string EntityId(string name) => name.ToLowerInvariant();

    public IReadOnlyList<string> EntityIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _endpoints.Keys];
            }
        }
    }

    public bool TryGet(string entityId, out EndpointSettings endpoint)
    {
        lock (_lock)
        {
            return _endpoints.TryGetValue(entityId, out endpoint!);
        }
    }

    /// <summary>A reload: the new set, and the names that left it queued for retirement.</summary>
    public void Replace(IEnumerable<EndpointSettings> endpoints)
    {
        var next = Index(endpoints);
        lock (_lock)
        {
            foreach (var gone in _endpoints.Keys.Where(id => !next.ContainsKey(id)))
            {
                _removed.Enqueue(gone);
            }

            _endpoints = next;
        }
    }

    /// <summary>Names removed since the last call.</summary>
    public IReadOnlyList<string> TakeRemoved()
    {
        var removed = new List<string>();
        while (_removed.TryDequeue(out var id))
        {
            removed.Add(id);
        }

        return removed;
    }

    private static Dictionary<string, EndpointSettings> Index(IEnumerable<EndpointSettings> endpoints) =>
        endpoints.GroupBy(e => EntityId(e.Name)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
}
