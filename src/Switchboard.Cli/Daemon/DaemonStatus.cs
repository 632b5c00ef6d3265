using Switchboard.Supervision;

namespace Switchboard.Cli.Daemon;

/// <summary>
/// The daemon's latest status, refreshed once a second by its loop: the status file, the status line and
/// the HTTP endpoints all serve this one snapshot, so a scrape or a probe costs the supervisor nothing.
/// </summary>
internal sealed class DaemonStatus
{
    private Snapshot? _latest;

    public Snapshot? Latest => Volatile.Read(ref _latest);

    public void Update(StatusReport report, byte[] rendered) =>
        Volatile.Write(ref _latest, new Snapshot(report, rendered, DateTimeOffset.UtcNow));

    /// <param name="Rendered">The status file's JSON of <paramref name="Report"/>.</param>
    internal sealed record Snapshot(StatusReport Report, byte[] Rendered, DateTimeOffset At);
}
