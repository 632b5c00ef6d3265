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

    public SendMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name is "switchboard.messages.sent" or "switchboard.links.dropped")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "switchboard.messages.sent")
            {
                Interlocked.Add(ref _sent, value);
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

    public IReadOnlyDictionary<string, long> Dropped => _dropped;

    public void Dispose() => _listener.Dispose();
}
