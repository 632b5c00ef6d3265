using Switchboard.Supervision;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// The never-stuck invariant (architecture §4), watched from outside: fed every status poll, it tracks how long
/// each endpoint has sat in one (state, attempt). A connected endpoint may sit forever; one in backoff must
/// have a retry time and move on within the backoff cap; one queued, connecting or handshaking must end
/// that attempt within connect + handshake timeouts. Anything longer is an endpoint that stopped trying.
/// Shared by the stress specs (which assert none) and the <c>faults</c> benchmark (which counts them).
/// </summary>
/// <param name="queuedMax">
/// How long an endpoint may wait for an admission slot; by default as long as an attempt. A benchmark at
/// thousands of endpoints, where the queue is long by design, allows more.
/// </param>
public sealed class StuckDetector(TimeSpan backoffMax, TimeSpan attemptMax, TimeSpan? queuedMax = null)
{
    /// <summary>Room for the poll interval and a busy scheduler.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    private const int MaxKept = 100;

    private readonly Dictionary<string, (EndpointState State, int Attempts, DateTime Since)> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly HashSet<string> _stuck = new(StringComparer.Ordinal);

    /// <summary>The first violations seen (at most 100), described.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Every endpoint that was stuck at least once.</summary>
    public IReadOnlyCollection<string> StuckEndpoints => _stuck;

    public void Observe(StatusReport status)
    {
        var now = DateTime.UtcNow;
        foreach (var endpoint in status.Endpoints)
        {
            if (endpoint.State == EndpointState.Backoff && endpoint.NextRetryAt is null)
            {
                Violation(endpoint.Name, $"{endpoint.Name} is in backoff with no retry scheduled");
            }

            if (!_seen.TryGetValue(endpoint.Name, out var last) || last.State != endpoint.State || last.Attempts != endpoint.Attempts)
            {
                _seen[endpoint.Name] = (endpoint.State, endpoint.Attempts, now);
                continue;
            }

            var dwell = now - last.Since;
            var limit = endpoint.State switch
            {
                EndpointState.Connected => TimeSpan.MaxValue,
                EndpointState.Backoff => backoffMax + Slack,
                EndpointState.Queued => (queuedMax ?? attemptMax) + Slack,
                _ => attemptMax + Slack,
            };
            if (dwell > limit)
            {
                Violation(endpoint.Name, $"{endpoint.Name} sat in {endpoint.State} (attempt {endpoint.Attempts}) for {dwell.TotalSeconds:0.0} s; last error {endpoint.LastError}");
            }
        }
    }

    private void Violation(string endpoint, string text)
    {
        _stuck.Add(endpoint);
        if (_violations.Count < MaxKept)
        {
            _violations.Add(text);
        }
    }
}
