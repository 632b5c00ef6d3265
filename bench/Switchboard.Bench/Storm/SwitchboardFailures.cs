using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Diagnostics;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Failed connection attempts and dropped links by cause, read from Switchboard's own meter
/// ("Switchboard": <c>switchboard.connect.failures</c> and <c>switchboard.links.dropped</c>, tag
/// <c>cause</c>) the way an operator's exporter would.
/// </summary>
internal sealed class SwitchboardFailures : IDisposable
{
    private const string FailuresInstrument = "switchboard.connect.failures";
    private const string DropsInstrument = "switchboard.links.dropped";
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _failures = new();
    private readonly ConcurrentDictionary<string, long> _drops = new();

    public SwitchboardFailures()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name is FailuresInstrument or DropsInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var cause = "unknown";
            foreach (var tag in tags)
            {
                if (tag.Key == "cause" && tag.Value is not null)
                {
                    cause = tag.Value.ToString() ?? cause;
                }
            }

            var counts = instrument.Name == DropsInstrument ? _drops : _failures;
            counts.AddOrUpdate(cause, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public IReadOnlyDictionary<string, long> Failures() => new Dictionary<string, long>(_failures);

    public IReadOnlyDictionary<string, long> Drops() => new Dictionary<string, long>(_drops);

    public void Dispose() => _listener.Dispose();
}
