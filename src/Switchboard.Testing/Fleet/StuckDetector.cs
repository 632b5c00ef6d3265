using Switchboard.Supervision;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// The never-stuck invariant (architecture §4), watched from outside: fed every status poll, it tracks how long
/// each endpoint has sat in one (state, attempt). A connected endpoint may sit forever; one in backoff must
/// have a retry time and move on within the backoff cap; one connecting or handshaking must end that attempt
/// within connect + handshake timeouts. One queued for an admission slot waits its turn, which behind
/// hundreds of peers that stall their handshakes until the timeout (or on a loaded machine, where the
/// adaptive limit shrinks) takes rounds of attempts: it is stuck only when the queue stopped moving, no
/// endpoint leaving it for as long as an attempt may take. Anything longer is an endpoint that stopped
/// trying. Shared by the stress specs (which assert none) and the <c>faults</c> benchmark (which counts them).
/// </summary>
/// <param name="queuedMax">
/// How long the admission queue may go without an endpoint leaving it; by default as long as an attempt.
/// </param>
/// <param name="time">The clock the dwell times are read from (the system's by default).</param>
public sealed class StuckDetector(TimeSpan backoffMax, TimeSpan attemptMax, TimeSpan? queuedMax = null, TimeProvider? time = null)
{
    /// <summary>Room for the poll interval and a busy scheduler.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    private const int MaxKept = 100;

    private readonly Dictionary<string, (EndpointState State, int Attempts, DateTime Since)> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly HashSet<string> _stuck = new(StringComparer.Ordinal);
    // When an endpoint last left the admission queue (or the queue was last seen empty).
    private DateTime _queueMovedAt = DateTime.MinValue;

    /// <summary>The first violations seen (at most 100), described.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Every endpoint that was stuck at least once.</summary>
    public IReadOnlyCollection<string> StuckEndpoints => _stuck;

    public void Observe(StatusReport status)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var anyQueued = false;
        foreach (var endpoint in status.Endpoints)
        {
            if (endpoint.State == EndpointState.Queued)
            {
                anyQueued = true;
            }
            else if (_seen.TryGetValue(endpoint.Name, out var before) && before.State == EndpointState.Queued)
            {
                _queueMovedAt = now;
            }
        }

        if (!anyQueued || _queueMovedAt == DateTime.MinValue)
        {
            _queueMovedAt = now;
        }

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

            // A queued endpoint's own wait says nothing while others ahead of it are admitted.
            var dwell = endpoint.State == EndpointState.Queued ? now - (last.Since > _queueMovedAt ? last.Since : _queueMovedAt) : now - last.Since;
            var limit = endpoint.State switch
            {
                EndpointState.Connected => TimeSpan.MaxValue,
                EndpointState.Backoff => backoffMax + Slack,
                EndpointState.Queued => (queuedMax ?? attemptMax) + Slack,
                _ => attemptMax + Slack,
            };
            if (dwell > limit)
            {
                var what = endpoint.State == EndpointState.Queued
                    ? $"{endpoint.Name} sat in Queued (attempt {endpoint.Attempts}) while no endpoint left the queue for {dwell.TotalSeconds:0.0} s"
                    : $"{endpoint.Name} sat in {endpoint.State} (attempt {endpoint.Attempts}) for {dwell.TotalSeconds:0.0} s";
                Violation(endpoint.Name, $"{what}; last error {endpoint.LastError}");
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
