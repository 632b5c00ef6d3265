using System.Diagnostics.Metrics;
using Switchboard.Diagnostics;

namespace Switchboard.Cli.Fleet;

/// <summary>
/// Application frames the fleet's agents received (heartbeats excluded), read from Switchboard's own
/// <c>switchboard.messages.received</c> counter. A MeterListener sees every Add, so the count is exact;
/// in the <c>agents</c> process the fleet is the only thing that receives frames.
/// </summary>
internal sealed class ReceivedFrames : IDisposable
{
    private const string Instrument = "switchboard.messages.received";
    private readonly MeterListener _listener = new();
    private long _count;

    public ReceivedFrames()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name == Instrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
