using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Diagnostics;

namespace Switchboard.Tests.Stress;

/// <summary>
/// The causes of failed inbound handshakes, read from the Switchboard meter
/// (<c>switchboard.tls.handshakes</c>, direction=inbound, result=failure): the one place an inbound
/// link that never came up names why it was closed.
/// </summary>
internal sealed class InboundFailures : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _causes = new();

    public InboundFailures()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name == "switchboard.tls.handshakes")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? direction = null, result = null, cause = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "direction": direction = tag.Value as string; break;
                    case "result": result = tag.Value as string; break;
                    case "cause": cause = tag.Value as string; break;
                }
            }

            if (direction == "inbound" && result == "failure")
            {
                _causes.Enqueue(cause ?? "(none)");
            }
        });
        _listener.Start();
    }

    public IReadOnlyList<string> Causes => _causes.ToArray();

    public int Count(string cause) => _causes.Count(c => c == cause);

    public void Dispose() => _listener.Dispose();
}
