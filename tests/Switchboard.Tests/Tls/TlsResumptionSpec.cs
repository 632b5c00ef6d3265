using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Tls;

public sealed class TlsResumptionSpec
{
    private const string Agent3 = "agent-00003";

    [Fact]
    public void Tls12_session_arrives_with_the_handshake_and_resumes_by_ticket()
    {
        using var master = Master(TlsVersion.Tls12);
        using var agent = Agent(3, TlsVersion.Tls12);
        using var first = TlsPair.Connect(master, agent, Agent3);
        Assert.True(first.ClientProgress.HasFlag(TlsProgress.NewSessions));
        var session = Assert.Single(first.ClientSessions);
        first.CloseFromClient();

        Assert.Equal(TlsVersion.Tls12, session.Protocol);
        Assert.True(session.IsResumable);
        Assert.False(session.SingleUse);
        Assert.True(session.Lifetime > TimeSpan.Zero);
        Assert.InRange(session.CreatedUtc, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));

        using var second = TlsPair.Connect(master, agent, Agent3, session);
        Assert.Equal(TlsState.Established, second.Client.State);
        Assert.True(second.Client.Handshake!.Resumed);
        Assert.True(second.Server.Handshake!.Resumed);
        Assert.Equal(Agent3, second.Client.Handshake.PeerIdentity);
        Assert.Equal("master", second.Server.Handshake.PeerIdentity);
        Assert.False(second.Client.Handshake.EphemeralKeyExchange);
        Assert.False(second.Server.Handshake.EphemeralKeyExchange);
        Assert.True(first.Server.Handshake!.EphemeralKeyExchange);
    }

    [Fact]
    public void Tls12_resumes_by_session_id_through_the_server_cache()
    {
        var cache = new DictionarySessionCache();
        using var master = Master(TlsVersion.Tls12);
        using var agent = TlsContext.CreateServer(AgentOptions(3, TlsVersion.Tls12, TlsVersion.Tls12) with { SessionTickets = false }, cache);
        using var first = TlsPair.Connect(master, agent, Agent3);
        var session = Assert.Single(first.ClientSessions);
        first.CloseFromClient();
        Assert.Equal(1, cache.Stores);

        using var second = TlsPair.Connect(master, agent, Agent3, session);

        Assert.True(second.Client.Handshake!.Resumed);
        Assert.True(second.Server.Handshake!.Resumed);
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public void Tls13_tickets_arrive_only_after_the_handshake()
    {
        using var master = Master(TlsVersion.Tls13);
        using var agent = Agent(3, TlsVersion.Tls13);
        using var pair = TlsPair.Create(master, agent, Agent3);
        pair.Start();
        pair.DeliverToServer(pair.TakeBytesForServer());

        var completed = pair.DeliverToClient(pair.TakeBytesForClient());
        Assert.Equal(TlsProgress.HandshakeCompleted, completed);
        Assert.Empty(pair.Client.TakeNewSessions());

        pair.DeliverToServer(pair.TakeBytesForServer()); // client Finished: the server answers with tickets
        var tickets = pair.DeliverToClient(pair.TakeBytesForClient());

        Assert.Equal(TlsProgress.NewSessions, tickets);
        var sessions = pair.Client.TakeNewSessions();
        Assert.Single(sessions); // our servers send one ticket per handshake (OpenSSL's default is two)
        Assert.All(sessions, s => Assert.True(s.SingleUse && s.IsResumable && s.Protocol == TlsVersion.Tls13));
        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }

    [Fact]
    public void Tls13_resumes_with_a_ticket_and_brings_fresh_tickets()
    {
        using var master = Master(TlsVersion.Tls13);
        using var agent = Agent(3, TlsVersion.Tls13);
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();

        using var second = TlsPair.Connect(master, agent, Agent3, first.ClientSessions[^1]);

        Assert.True(second.Client.Handshake!.Resumed);
        Assert.True(second.Server.Handshake!.Resumed);
        Assert.Equal("TLSv1.3", second.Client.Handshake.Protocol);
        Assert.True(second.Client.Handshake.EphemeralKeyExchange); // psk_dhe_ke
        Assert.NotEmpty(second.ClientSessions);
    }

    [Fact]
    public void Tls13_resumption_under_our_ticket_keys_brings_fresh_tickets_every_time()
    {
        // With a ticket-key callback OpenSSL 3.0 renews TLS 1.3 tickets only when the callback asks (returns 2);
        // without fresh tickets a chain of reconnects would fall back to full handshakes every other time.
        using var master = Master(TlsVersion.Tls13);
        using var agent = Agent(3, TlsVersion.Tls13, keys: new TicketKeySet(null, NewTicketKey(), null));
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();
        var ticket = first.ClientSessions[^1];
        var resumed = new List<bool>();
        var links = new List<TlsPair>();
        for (var i = 0; i < 3; i++)
        {
            var next = TlsPair.Connect(master, agent, Agent3, ticket);
            links.Add(next);
            next.CloseFromClient();
            resumed.Add(next.Client.Handshake!.Resumed);
            Assert.NotEmpty(next.ClientSessions);
            ticket = next.ClientSessions[^1];
        }
        foreach (var link in links)
        {
            link.Dispose();
        }

        Assert.Equal(new[] { true, true, true }, resumed);
    }

    [Fact]
    public void Tls13_ticket_is_single_use_in_memory_though_its_bytes_would_replay()
    {
        // OpenSSL's client marks a TLS 1.3 session not resumable once used; the server keeps no record of
        // opened tickets (anti-replay exists only for early data), so a copy of the bytes resumes again.
        // Handing each ticket out once is therefore the client cache's duty (architecture §8).
        using var master = Master(TlsVersion.Tls13);
        using var agent = Agent(3, TlsVersion.Tls13);
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();
        var ticket = first.ClientSessions[^1];
        var bytes = ticket.Export();

        using var once = TlsPair.Connect(master, agent, Agent3, ticket);
        once.CloseFromClient();
        Assert.True(once.Client.Handshake!.Resumed);
        Assert.False(ticket.IsResumable);

        using var twice = TlsPair.Connect(master, agent, Agent3, ticket);
        Assert.Equal(TlsState.Established, twice.Client.State);
        Assert.False(twice.Client.Handshake!.Resumed); // not offered again: a silent full handshake

        using var replayed = TlsSession.Import(bytes);
        using var replay = TlsPair.Connect(master, agent, Agent3, replayed);
        Assert.True(replay.Server.Handshake!.Resumed);
    }

    [Fact]
    public void Tls13_stateful_tickets_resume_through_the_server_cache()
    {
        var cache = new DictionarySessionCache();
        using var master = Master(TlsVersion.Tls13);
        using var agent = TlsContext.CreateServer(AgentOptions(3, TlsVersion.Tls13, TlsVersion.Tls13) with { SessionTickets = false }, cache);
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();
        Assert.Equal(2, cache.Stores); // one entry per ticket
        Assert.True(first.ClientSessions[^1].EncodedLength < 1000); // the ticket is only an ID

        using var second = TlsPair.Connect(master, agent, Agent3, first.ClientSessions[^1]);

        Assert.True(second.Client.Handshake!.Resumed);
        Assert.Equal(1, cache.Hits);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Exported_session_resumes_after_import(string tls)
    {
        var version = Version(tls);
        using var master = Master(version);
        using var agent = Agent(3, version);
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();
        var der = first.ClientSessions[^1].Export();
        Assert.Equal(first.ClientSessions[^1].EncodedLength, der.Length);

        using var imported = TlsSession.Import(der);
        Assert.NotNull(imported);
        Assert.Equal(version, imported.Protocol);
        Assert.Equal(first.ClientSessions[^1].CreatedUtc, imported.CreatedUtc);
        using var second = TlsPair.Connect(master, agent, Agent3, imported);

        Assert.True(second.Client.Handshake!.Resumed);
    }

    [Fact]
    public void Import_of_bytes_that_are_not_a_session_returns_null()
    {
        Assert.Null(TlsSession.Import(ReadOnlySpan<byte>.Empty));
        Assert.Null(TlsSession.Import("not a session"u8));
        Assert.Null(TlsSession.Import(new byte[] { 0x30, 0x82, 0x10, 0x00, 0x02, 0x01 }));
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Shared_ticket_keys_resume_across_server_contexts_and_survive_rotation(string tls)
    {
        var version = Version(tls);
        var oldKey = NewTicketKey();
        var keys = new TicketKeySet(null, oldKey, null);
        using var master = Master(version);
        using var agentA = Agent(3, version, keys: keys);
        using var agentB = Agent(3, version, keys: keys);
        using var first = TlsPair.Connect(master, agentA, Agent3);
        first.CloseFromClient();

        using var acrossContexts = TlsPair.Connect(master, agentB, Agent3, first.ClientSessions[0]);
        acrossContexts.CloseFromClient();
        Assert.True(acrossContexts.Client.Handshake!.Resumed);

        // A second session sealed under the old key (a TLS 1.3 ticket is spent once; one comes per handshake).
        using var second = TlsPair.Connect(master, agentA, Agent3);
        second.CloseFromClient();

        var rotated = new TicketKeySet(oldKey, NewTicketKey(), null);
        agentA.SetTicketKeys(rotated);
        using var afterRotation = TlsPair.Connect(master, agentA, Agent3, second.ClientSessions[^1]);
        Assert.True(afterRotation.Client.Handshake!.Resumed);
        // A ticket under a non-current key is renewed, so the client moves to the new key.
        Assert.NotEmpty(afterRotation.ClientSessions);
        if (version == TlsVersion.Tls12)
        {
            Assert.False(second.ClientSessions[^1].IsResumable); // OpenSSL retires the session a renewal replaced
        }
        afterRotation.CloseFromClient();

        agentB.SetTicketKeys(rotated);
        using var renewed = TlsPair.Connect(master, agentB, Agent3, afterRotation.ClientSessions[^1]);
        Assert.True(renewed.Client.Handshake!.Resumed);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Server_that_cannot_open_the_ticket_falls_back_to_a_full_handshake_silently(string tls)
    {
        var version = Version(tls);
        using var master = Master(version);
        using var agentA = Agent(3, version, keys: new TicketKeySet(null, NewTicketKey(), null));
        using var agentB = Agent(3, version, keys: new TicketKeySet(null, NewTicketKey(), null));
        using var first = TlsPair.Connect(master, agentA, Agent3);
        first.CloseFromClient();

        using var second = TlsPair.Connect(master, agentB, Agent3, first.ClientSessions[^1]);

        Assert.Equal(TlsState.Established, second.Client.State);
        Assert.False(second.Client.Handshake!.Resumed);
        Assert.NotEmpty(second.ClientSessions);
    }

    [Fact]
    public void Link_dropped_without_close_notify_keeps_its_session_resumable()
    {
        using var master = Master(TlsVersion.Tls12);
        using var agent = Agent(3, TlsVersion.Tls12);
        var first = TlsPair.Connect(master, agent, Agent3);
        var session = first.ClientSessions[0];
        first.ClientSessions.Clear();
        first.Dispose(); // no Close: the socket just went away

        Assert.True(session.IsResumable);
        using var second = TlsPair.Connect(master, agent, Agent3, session);
        Assert.True(second.Client.Handshake!.Resumed);
        session.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resumed_session_of_another_peer_fails_the_identity_check(bool fromTheSessionFile)
    {
        // Both agents share ticket keys, so agent-00007 happily resumes a session made with agent-00003;
        // the certificate in that session names agent-00003, not the endpoint we dialled. The session
        // file's form carries no certificate, and the endpoint name it was stamped with tells instead.
        var keys = new TicketKeySet(null, NewTicketKey(), null);
        using var master = Master(TlsVersion.Tls13);
        using var agent3 = Agent(3, TlsVersion.Tls13, keys: keys);
        using var agent7 = Agent(7, TlsVersion.Tls13, keys: keys);
        using var first = TlsPair.Connect(master, agent3, Agent3);
        first.CloseFromClient();
        using var restored = fromTheSessionFile ? TlsSession.Import(first.ClientSessions[^1].ExportWithoutPeer()) : null;

        using var second = TlsPair.Connect(master, agent7, "agent-00007", restored ?? first.ClientSessions[^1]);

        Assert.Equal(TlsState.Failed, second.Client.State);
        Assert.Equal(new TlsFailure(TlsFailureKind.Identity, "peer identity 'agent-00003' does not match endpoint 'agent-00007'"), second.Client.Failure);
    }

    [Fact]
    public void Server_context_disposed_under_a_live_handshake_degrades_to_a_full_handshake()
    {
        // The connection keeps the SSL_CTX alive; the ticket callback then finds no C# context and refuses the
        // ticket instead of touching freed memory.
        using var master = Master(TlsVersion.Tls12);
        var agent = Agent(3, TlsVersion.Tls12, keys: new TicketKeySet(null, NewTicketKey(), null));
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();
        using var second = TlsPair.Create(master, agent, Agent3, first.ClientSessions[0]);
        agent.Dispose();

        second.Start();
        second.Pump();

        Assert.Equal(TlsState.Established, second.Server.State);
        Assert.False(second.Server.Handshake!.Resumed);
    }

    [Fact]
    public void Psk_without_dhe_is_allowed_but_openssl_3_0_still_picks_psk_dhe_ke()
    {
        var options = MasterOptions(TlsVersion.Tls13, TlsVersion.Tls13) with { AllowPskWithoutDhe = true };
        using var master = TlsContext.CreateClient(options);
        using var agent = TlsContext.CreateServer(AgentOptions(3, TlsVersion.Tls13, TlsVersion.Tls13) with { AllowPskWithoutDhe = true });
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();

        using var second = TlsPair.Connect(master, agent, Agent3, first.ClientSessions[^1]);

        Assert.True(second.Client.Handshake!.Resumed);
        Assert.True(second.Client.Handshake.EphemeralKeyExchange);
        Assert.True(second.Server.Handshake!.EphemeralKeyExchange);
    }
}
