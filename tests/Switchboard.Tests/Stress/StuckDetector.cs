using Switchboard.Supervision;

namespace Switchboard.Tests.Stress;

/// <summary>
/// The never-stuck invariant of issue 4, watched from outside: fed every status poll, it tracks how long
/// each endpoint has sat in one (state, attempt). A connected endpoint may sit forever; one in backoff must
/// have a retry time and move on within the backoff cap; one queued, connecting or handshaking must end
/// that attempt within connect + handshake timeouts. Anything longer is an endpoint that stopped trying.
/// </summary>
internal sealed class StuckDetector(TimeSpan backoffMax, TimeSpan attemptMax)
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    private readonly Dictionary<string, (EndpointState State, int Attempts, DateTime Since)> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];

    public void Observe(StatusReport status)
    {
        var now = DateTime.UtcNow;
        foreach (var endpoint in status.Endpoints)
        {
            if (endpoint.State == EndpointState.Backoff && endpoint.NextRetryAt is null)
            {
                Violation($"{endpoint.Name} is in backoff with no retry scheduled");
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
                _ => attemptMax + Slack,
            };
            if (dwell > limit)
            {
                Violation($"{endpoint.Name} sat in {endpoint.State} (attempt {endpoint.Attempts}) for {dwell.TotalSeconds:0.0} s; last error {endpoint.LastError}");
            }
        }
    }

    public void AssertNeverStuck()
    {
        Assert.True(_violations.Count == 0, $"{_violations.Count} stuck observations, first: {string.Join(" | ", _violations.Take(3))}");
    }

    private void Violation(string text)
    {
        if (_violations.Count < 100)
        {
            _violations.Add(text);
        }
    }
}
