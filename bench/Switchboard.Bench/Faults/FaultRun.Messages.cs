using System.Buffers.Binary;
using System.Diagnostics;
using Akka.Actor;
using Switchboard.Bench.Shared;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;

namespace Switchboard.Bench.Faults;

/// <summary>The messages of a run: sent round-robin, spread evenly over the window, then drained.</summary>
internal sealed partial class FaultRun
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReceivedTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Every endpoint whose agent takes frames: the healthy ones, and in flap and silent mode the faulty
    /// ones too, whose links carry traffic until they drop; that is where frames in flight are at risk.
    /// </summary>
    private IReadOnlyList<string> Recipients() =>
        _mode is FaultMode.Flap or FaultMode.Silent ? [.. _endpoints.Select(e => e.Name)] : _healthy;

    private async Task<long> SendAsync(IActorRef supervisor, IActorRef replyTo, IReadOnlyList<string> recipients)
    {
        var total = _options.Messages ?? (long)FaultsOptions.DefaultMessagesPerEndpoint * recipients.Count;
        if (recipients.Count == 0 || total == 0)
        {
            return 0;
        }

        _log.WriteLine($"faults: {Name}: sending {total} messages to {recipients.Count} endpoints over {_options.Window.TotalSeconds:F0} s");
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var next = 0;
        // Bounded: once the window has passed, every message is due and the loop ends.
        while (sent < total)
        {
            var share = Math.Min(1.0, clock.Elapsed / _options.Window);
            var due = Math.Min(total, (long)Math.Ceiling(total * share));
            for (; sent < due; sent++)
            {
                // A fresh buffer per message: a queued Send holds on to its payload.
                var payload = new byte[16];
                BinaryPrimitives.WriteInt64BigEndian(payload, sent);
                supervisor.Tell(new Send(recipients[next], payload), replyTo);
                next = (next + 1) % recipients.Count;
            }

            if (sent < total)
            {
                await Task.Delay(Tick);
            }
        }

        return sent;
    }

    /// <summary>Until every message is delivered or failed, or the drain limit; returns what the agents recorded, message by message.</summary>
    private async Task<DeliveryLedger> DrainAsync(FleetProcess fleet, long sent)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var delivered = await fleet.LedgerAsync(ReceivedTimeout);
            var unaccounted = Unaccounted(sent, delivered, _sendFailures.Numbers);
            if (unaccounted == 0 || clock.Elapsed >= _options.DrainLimit)
            {
                _log.WriteLine($"faults: {Name}: {delivered.Distinct} delivered ({delivered.Duplicates} duplicates), {_sendFailures.Total} SendFailed, {unaccounted} neither, of {sent} sent after {clock.Elapsed.TotalSeconds:F1} s of draining");
                return delivered;
            }

            await Task.Delay(DrainPoll);
        }
    }

    /// <summary>Messages 0..sent-1 that neither reached an agent nor came back as SendFailed.</summary>
    private static long Unaccounted(long sent, DeliveryLedger delivered, DeliveryLedger failed)
    {
        long missing = 0;
        for (long n = 0; n < sent; n++)
        {
            if (!delivered.Contains(n) && !failed.Contains(n))
            {
                missing++;
            }
        }

        return missing;
    }

    /// <summary>Messages answered with SendFailed that an agent received all the same: the sender was told a lie.</summary>
    private static long FailedYetDelivered(long sent, DeliveryLedger delivered, DeliveryLedger failed)
    {
        long both = 0;
        for (long n = 0; n < sent; n++)
        {
            if (delivered.Contains(n) && failed.Contains(n))
            {
                both++;
            }
        }

        return both;
    }
}
