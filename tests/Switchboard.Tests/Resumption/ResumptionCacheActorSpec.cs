using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Resumption;
using Switchboard.Tests.Tls;
using Switchboard.Tls;
using Switchboard.Tls.Native;

namespace Switchboard.Tests.Resumption;

/// <summary>The cache actor's hand-out rules, with real sessions from an in-memory TLS pair.</summary>
public sealed class ResumptionCacheActorSpec : TestKit
{
    private readonly ResumptionSettings _settings = Support.Settings.Load().Resumption;

    internal static List<TlsSession> Tickets(TlsVersion version, int perHandshake = 1)
    {
        using var client = TlsContexts.Master(version);
        using var server = TlsContexts.Agent(1, version);
        // Our servers send one TLS 1.3 ticket per handshake; other servers (OpenSSL's default) send two.
        LibSsl.SSL_CTX_set_num_tickets(server.Handle, (nuint)perHandshake);
        using var pair = TlsPair.Connect(client, server, "agent-00001");
        pair.ServerSends("x"u8);
        pair.Pump();
        // The pair frees the sessions it still holds; these now belong to the test (and then the cache).
        var sessions = pair.ClientSessions.Concat(pair.Client.TakeNewSessions()).Where(s => s.IsResumable).ToList();
        pair.ClientSessions.Clear();
        return sessions;
    }

    /// <summary>An endpoint's open request; the cache passes it on (here to the test actor) with the session it attached.</summary>
    private Io.OpenLink Open(string key, long linkId, string endpoint = "agent-00001") =>
        new(linkId, endpoint, new IPEndPoint(IPAddress.Loopback, 1), null!, null, key, TestActor, Sys.DeadLetters);

    /// <summary>Sessions from a full handshake with a peer whose certificate is valid for a year: a chain starts.</summary>
    private static ClientSessionsReceived FullHandshake(string key, IReadOnlyList<TlsSession> sessions) =>
        new(key, sessions, Resumed: false, PeerNotAfterUtc: DateTime.UtcNow.AddYears(1));

    private ResumptionCacheActor.CacheStats Stats(IActorRef cache)
    {
        cache.Tell(new ResumptionCacheActor.GetCacheStats());
        return ExpectMsg<ResumptionCacheActor.CacheStats>();
    }

    [Fact]
    public void An_auto_budget_grows_with_the_endpoints_that_ask_and_counts_those_without_a_session()
    {
        Assert.Null(_settings.MaxBytes);
        var gauges = new ResumptionGauges();
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, gauges));
        Assert.Equal(ResumptionBudget.Floor(_settings.SubCaches), Stats(cache).Budget);

        const int endpoints = 2000;
        for (var i = 0; i < endpoints; i++)
        {
            cache.Tell(Open($"agent-{i:00000}|k", i, $"agent-{i:00000}"));
        }

        ReceiveN(endpoints);
        var asked = Stats(cache);
        Assert.True(asked.Budget >= ResumptionBudget.For(endpoints, 0, _settings.SubCaches), $"budget {asked.Budget} for {endpoints} endpoints");
        Assert.Equal((endpoints, endpoints), (asked.Endpoints, asked.EndpointsWithoutSession));

        cache.Tell(FullHandshake("agent-00001|k", Tickets(TlsVersion.Tls13)));
        Assert.Equal(endpoints - 1, Stats(cache).EndpointsWithoutSession);
        Assert.Equal(endpoints - 1, gauges.EndpointsWithoutSession);

        // A removed endpoint takes its sessions with it and no longer counts.
        cache.Tell(new ResumptionCacheActor.ForgetEndpoint("agent-00001", "agent-00001|k"));
        var forgotten = Stats(cache);
        Assert.Equal((0L, endpoints - 1, endpoints - 1), (forgotten.Entries, forgotten.Endpoints, forgotten.EndpointsWithoutSession));
    }

    [Fact]
    public void A_fixed_budget_stays_as_configured()
    {
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings with { MaxBytes = 1L << 20 }, TestActor, new ResumptionGauges()));
        for (var i = 0; i < 1000; i++)
        {
            cache.Tell(Open($"agent-{i:00000}|k", i, $"agent-{i:00000}"));
        }

        ReceiveN(1000);
        Assert.Equal(1L << 20, Stats(cache).Budget);
    }

    [Fact]
    public void An_endpoint_that_asks_under_a_new_key_loses_the_sessions_of_its_old_one()
    {
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, new ResumptionGauges()));
        cache.Tell(Open("agent-00001|127.0.0.1:1|old-certificate", 1));
        ExpectMsg<Io.OpenLink>();
        cache.Tell(FullHandshake("agent-00001|127.0.0.1:1|old-certificate", Tickets(TlsVersion.Tls13)));
        Assert.Equal(1, Stats(cache).Entries);

        // A renewed certificate: the old key's sessions were issued to the old one and can never be offered.
        cache.Tell(Open("agent-00001|127.0.0.1:1|new-certificate", 2));
        Assert.Null(ExpectMsg<Io.OpenLink>().Resume);
        var stats = Stats(cache);
        Assert.Equal((0L, 1, 1), (stats.Entries, stats.Endpoints, stats.EndpointsWithoutSession));
    }

    [Fact]
    public void TLS_1_3_tickets_from_successive_handshakes_are_handed_out_newest_first_and_each_only_once()
    {
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, new ResumptionGauges()));
        var exported = new List<byte[]>();
        for (var handshake = 0; handshake < 3; handshake++)
        {
            var ticket = Tickets(TlsVersion.Tls13)[^1];
            exported.Add(ticket.ExportWithoutPeer());
            cache.Tell(FullHandshake("k", [ticket]));
        }

        var handedOut = new List<byte[]>();
        for (var i = 0; i < exported.Count; i++)
        {
            cache.Tell(Open("k", i));
            using var offer = ExpectMsg<Io.OpenLink>().Resume!;
            handedOut.Add(offer.ExportWithoutPeer());
        }

        cache.Tell(Open("k", 99));
        Assert.Null(ExpectMsg<Io.OpenLink>().Resume);
        Assert.Equal(exported.AsEnumerable().Reverse(), handedOut);
    }

    [Fact]
    public void Of_the_tickets_one_handshake_brings_only_the_newest_is_kept()
    {
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, new ResumptionGauges()));
        var tickets = Tickets(TlsVersion.Tls13, perHandshake: 2);
        Assert.True(tickets.Count >= 2, $"expected two TLS 1.3 tickets, got {tickets.Count}");
        var newest = tickets[^1].ExportWithoutPeer();
        cache.Tell(FullHandshake("k", tickets));

        cache.Tell(Open("k", 1));
        using (var offer = ExpectMsg<Io.OpenLink>().Resume!)
        {
            Assert.Equal(newest, offer.ExportWithoutPeer());
        }

        cache.Tell(Open("k", 2));
        Assert.Null(ExpectMsg<Io.OpenLink>().Resume);
    }

    [Fact]
    public void A_TLS_1_2_session_is_offered_again_and_again()
    {
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, new ResumptionGauges()));
        var sessions = Tickets(TlsVersion.Tls12);
        var expected = sessions[^1].ExportWithoutPeer();
        cache.Tell(FullHandshake("k", sessions));
        for (var i = 0; i < 3; i++)
        {
            cache.Tell(Open("k", i));
            using var offer = ExpectMsg<Io.OpenLink>().Resume!;
            Assert.Equal(expected, offer.ExportWithoutPeer());
        }
    }

    [Fact]
    public void Sessions_persist_to_the_file_and_a_new_cache_offers_them()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cache-").FullName, "sessions");
        var settings = _settings with { PersistPath = path };
        var fileKey = SessionFileKey.Derive("this master's private key"u8);
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(settings, TestActor, new ResumptionGauges(), fileKey));
        var tickets = Tickets(TlsVersion.Tls13);
        var newest = tickets[^1].ExportWithoutPeer();
        cache.Tell(FullHandshake("agent-00001|127.0.0.1:1|ab", tickets));
        cache.Tell(new ResumptionCacheActor.PersistNow());
        var persisted = ExpectMsg<ResumptionCacheActor.Persisted>();
        Assert.Equal((1, null), (persisted.Sessions, persisted.Error));

        var restored = Sys.ActorOf(ResumptionCacheActor.Props(settings, TestActor, new ResumptionGauges(), fileKey));
        restored.Tell(Open("agent-00001|127.0.0.1:1|ab", 1));
        using var offer = ExpectMsg<Io.OpenLink>().Resume!;
        Assert.Equal(newest, offer.ExportWithoutPeer());
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void On_an_IO_event_loop_the_cache_answers_a_save_once_it_is_on_disk_and_saves_again_as_it_stops()
    {
        // Where SwitchboardRuntime puts it by default; the write itself goes to the thread pool.
        Dispatchers.RegisterIo(Sys, 1, eventLoop: true);
        var path = Path.Combine(Directory.CreateTempSubdirectory("cache-").FullName, "sessions");
        var fileKey = SessionFileKey.Derive("this master's private key"u8);
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings with { PersistPath = path }, TestActor, new ResumptionGauges(), fileKey)
            .WithDispatcher(Dispatchers.Io));
        string[] Saved() => [.. SessionFile.Load(path, DateTime.UtcNow, fileKey).Contents.Sessions.Select(s => s.Key).Order()];

        cache.Tell(FullHandshake("agent-00001|127.0.0.1:1|ab", Tickets(TlsVersion.Tls13)));
        cache.Tell(new ResumptionCacheActor.PersistNow());
        var persisted = ExpectMsg<ResumptionCacheActor.Persisted>();
        Assert.Equal((1, null), (persisted.Sessions, persisted.Error));
        Assert.Equal(["agent-00001|127.0.0.1:1|ab"], Saved());

        cache.Tell(FullHandshake("agent-00002|127.0.0.1:2|ab", Tickets(TlsVersion.Tls13)));
        Watch(cache);
        // A PoisonPill queues behind the handshake; Sys.Stop is a system message, which a mailbox not yet run
        // takes first, and the actor would stop without ever having held the second session.
        cache.Tell(PoisonPill.Instance);
        ExpectTerminated(cache);
        Assert.Equal(["agent-00001|127.0.0.1:1|ab", "agent-00002|127.0.0.1:2|ab"], Saved());
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void A_replica_keeps_its_session_after_the_cache_hands_the_ticket_out_and_wipes_its_own()
    {
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, new ResumptionGauges()));
        var replica = CreateTestProbe();
        cache.Tell(new ResumptionCacheActor.ReplicateTo(replica.Ref));
        var tickets = Tickets(TlsVersion.Tls13);
        var newest = tickets[^1].ExportWithoutPeer();
        cache.Tell(FullHandshake("agent-00001|k", tickets));
        var told = replica.ExpectMsg<ResumptionCacheActor.SessionReplica>();
        Assert.Equal(newest, told.Der);

        cache.Tell(Open("agent-00001|k", 1));
        ExpectMsg<Io.OpenLink>().Resume!.Dispose();

        Assert.Equal(newest, told.Der);
        using var fromReplica = TlsSession.Import(told.Der);
        Assert.NotNull(fromReplica);
    }

    [Fact]
    public void An_imported_replica_is_offered_without_the_cache_wiping_the_replicas_bytes()
    {
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, new ResumptionGauges()));
        var der = Tickets(TlsVersion.Tls13)[^1].ExportWithoutPeer();
        var original = (byte[])der.Clone();
        var chain = new SessionChain(DateTime.UtcNow, DateTime.UtcNow.AddYears(1));
        cache.Tell(new ResumptionCacheActor.ImportReplica(
            new ResumptionCacheActor.SessionReplica("agent-00001", "agent-00001|k", der, TlsVersion.Tls13, DateTime.UtcNow.AddHours(1), chain)));

        cache.Tell(Open("agent-00001|k", 1));
        using (var offer = ExpectMsg<Io.OpenLink>().Resume)
        {
            Assert.NotNull(offer);
        }

        Assert.Equal(original, der);
    }

    [Fact]
    public void Cache_entries_and_bytes_are_exported_as_gauges()
    {
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, new ResumptionGauges()));
        cache.Tell(FullHandshake("gauge-key", Tickets(TlsVersion.Tls13)));
        cache.Tell(new ResumptionCacheActor.GetCacheStats());
        var stats = ExpectMsg<ResumptionCacheActor.CacheStats>();
        Assert.True(stats.Entries >= 1);

        var seen = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Switchboard.Diagnostics.SwitchboardMetrics.MeterName && instrument.Name.StartsWith("switchboard.resumption.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        // Other caches in this process add to the sums, so they are at least this cache's size.
        Assert.True(seen["switchboard.resumption.entries"] >= stats.Entries);
        Assert.True(seen["switchboard.resumption.size"] >= stats.Bytes);
    }
}
