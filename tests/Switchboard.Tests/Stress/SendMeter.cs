using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Diagnostics;

namespace Switchboard.Tests.Stress;

/// <summary>
/// Frames the library counts as written to a live link (<c>switchboard.messages.sent</c>) and links it saw
/// drop, by cause: together they tell where an unaccounted-for message went.
/// </summary>
internal sealed class SendMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _dropped = new();
    private long _sent;
    private long _resent;
    private long _duplicates;

    public SendMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name is "switchboard.messages.sent" or "switchboard.links.dropped" or "switchboard.messages.resent" or "switchboard.messages.duplicates")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            switch (instrument.Name)
            {
                case "switchboard.messages.sent":
                    Interlocked.Add(ref _sent, value);
                    return;
                case "switchboard.messages.resent":
                    Interlocked.Add(ref _resent, value);
                    return;
                case "switchboard.messages.duplicates":
                    Interlocked.Add(ref _duplicates, value);
                    return;
            }

            var cause = "(none)";
            foreach (var tag in tags)
            {
                if (tag.Key == "cause")
                {
                    cause = tag.Value as string ?? cause;
                }
            }

            _dropped.AddOrUpdate(cause, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary><c>switchboard.messages.resent</c>: unacknowledged frames sent again on a new link.</summary>
    public long Resent => Interlocked.Read(ref _resent);

    /// <summary><c>switchboard.messages.duplicates</c>: resent copies the receivers dropped.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public IReadOnlyDictionary<string, long> Dropped => _dropped;

    public void Dispose() => _listener.Dispose();
}
