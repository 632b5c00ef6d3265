using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Diagnostics;

/// <summary>The Switchboard meter as an OpenTelemetry exporter would see it, read with a MeterListener.</summary>
[Collection("Metrics")]
public sealed class MetricsSpec : TestKit, IAsyncLifetime
{
    private readonly ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly MeterListener _listener = new();
    private AgentFleet _fleet = null!;

    public MetricsSpec() : base(Support.Settings.Config("akka.loglevel = WARNING"))
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        _measurements.Add((instrument.Name, value, dictionary));
    }

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(TestPki.Instance.Layout, 2, port: 0);

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _fleet.DisposeAsync();
    }

    private double Sum(string instrument, string? tag = null, object? value = null) =>
        _measurements.Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value))).Sum(m => m.Value);

    private int Ups(string instrument, string tag, object value) =>
        _measurements.Count(m => m.Instrument == instrument && m.Value > 0 && Equals(m.Tags.GetValueOrDefault(tag), value));

    [Fact]
    public async Task Handshakes_durations_states_and_failures_are_measured_with_their_tags()
    {
        var endpoints = _fleet.Endpoints().Append(new EndpointSettings("agent-00009", "127.0.0.1", 1)).ToArray();
        var runtime = SwitchboardRuntime.Start(Sys, SettingsLoader.Load(Sys.Settings.Config) with { Endpoints = [.. endpoints] });
        await AwaitAssertAsync(async () =>
        {
            var status = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3));
            Assert.Equal(2, status.Connected);
            Assert.True(status.Endpoints.Single(e => e.Name == "agent-00009").Attempts >= 1);
        }, TimeSpan.FromSeconds(10));

        // Both sides of each handshake run in this process: 2 outbound + 2 inbound successes at least.
        Assert.True(Sum("switchboard.tls.handshakes", "direction", "outbound") >= 2);
        Assert.Contains(_measurements, m => m.Instrument == "switchboard.tls.handshakes" && Equals(m.Tags.GetValueOrDefault("protocol"), "TLSv1.3") && Equals(m.Tags.GetValueOrDefault("resumed"), false));
        // A full handshake always runs a fresh (EC)DHE exchange; only a psk_ke or TLS 1.2 resumption goes without.
        Assert.DoesNotContain(_measurements, m => m.Instrument == "switchboard.tls.handshakes" && Equals(m.Tags.GetValueOrDefault("result"), "success")
            && Equals(m.Tags.GetValueOrDefault("resumed"), false) && !Equals(m.Tags.GetValueOrDefault("ephemeral_key_exchange"), true));
        Assert.Contains(_measurements, m => m.Instrument == "switchboard.tls.handshake.duration" && m.Value is > 0 and < 10);
        Assert.True(Sum("switchboard.connect.failures", "cause", "refused") >= 1);
        // Up-down counters are process-wide and other tests move them down concurrently, so count the
        // moves up rather than trusting a sum.
        Assert.True(Ups("switchboard.endpoints", "state", "connected") >= 2);
        Assert.True(Ups("switchboard.io.links", "direction", "outbound") >= 2);
    }
}
