using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Diagnostics;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Failed connection attempts and dropped links by cause, read from Switchboard's own meter
/// ("Switchboard": <c>switchboard.connect.failures</c> and <c>switchboard.links.dropped</c>, tag
/// <c>cause</c>) the way an operator's exporter would; and from <c>switchboard.tls.handshakes</c>, the
/// outbound resumptions that ran no fresh key exchange (tag <c>ephemeral_key_exchange</c>).
/// </summary>
internal sealed class SwitchboardMeterReadings : IDisposable
{
    private const string FailuresInstrument = "switchboard.connect.failures";
    private const string DropsInstrument = "switchboard.links.dropped";
    private const string HandshakesInstrument = "switchboard.tls.handshakes";
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _failures = new();
    private readonly ConcurrentDictionary<string, long> _drops = new();
    private long _resumedWithoutKeyExchange;

    public SwitchboardMeterReadings()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name is FailuresInstrument or DropsInstrument or HandshakesInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == HandshakesInstrument)
            {
                if (ResumedWithout(tags))
                {
                    Interlocked.Add(ref _resumedWithoutKeyExchange, value);
                }

                return;
            }

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

    public long ResumedWithoutKeyExchange => Interlocked.Read(ref _resumedWithoutKeyExchange);

    private static bool ResumedWithout(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var (outbound, resumed, ephemeral) = (false, false, true);
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "direction": outbound = tag.Value as string == "outbound"; break;
                case "resumed": resumed = tag.Value is true; break;
                case "ephemeral_key_exchange": ephemeral = tag.Value is not false; break;
            }
        }

        return outbound && resumed && !ephemeral;
    }

    public void Dispose() => _listener.Dispose();
}
