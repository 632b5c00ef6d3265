using System.Diagnostics.Metrics;
using Switchboard.Diagnostics;

namespace Switchboard.Cli.Demo;

/// <summary>Counts connect failures (and the timeouts among them) from the Switchboard meter itself.</summary>
internal sealed class FailureCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _failures;
    private long _timeouts;

    public FailureCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name == "switchboard.connect.failures")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Interlocked.Add(ref _failures, value);
            foreach (var tag in tags)
            {
                if (tag.Key == "cause" && tag.Value is "handshake_timeout" or "connect_timeout")
                {
                    Interlocked.Add(ref _timeouts, value);
                }
            }
        });
        _listener.Start();
    }

    public long Failures => Interlocked.Read(ref _failures);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    public void Dispose() => _listener.Dispose();
}
