using System.Buffers;
using Switchboard.Tls;

namespace Switchboard.Bench.Handshake;

/// <summary>One engine client/server handshake in memory, the way an IO actor pair would pump it.</summary>
internal sealed class EnginePair
{
    private const int MaxRounds = 32;

    private readonly ArrayBufferWriter<byte> _toServer = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _toClient = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _swap = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _plaintext = new(64 * 1024);

    public EnginePair(TlsContext client, TlsContext server, string endpoint)
    {
        Client = client;
        Server = server;
        Endpoint = endpoint;
    }

    public TlsContext Client { get; }

    public TlsContext Server { get; }

    public string Endpoint { get; }

    /// <summary>Handshake (plus TLS 1.3 tickets) and close_notify; returns the newest session the client got.</summary>
    public TlsSession? Run(TlsSession? resume, bool expectResumed)
    {
        using var client = TlsConnection.CreateClient(Client, Endpoint, resume);
        using var server = TlsConnection.CreateServer(Server);
        TlsSession? newest = null;
        client.Start(_toServer);
        Pump(client, server, ref newest);
        if (client.State != TlsState.Established || server.State != TlsState.Established)
        {
            throw new InvalidOperationException($"benchmark handshake failed: client {client.Failure}, server {server.Failure}");
        }
        if (client.Handshake!.Resumed != expectResumed)
        {
            throw new InvalidOperationException($"expected resumed={expectResumed}, got {client.Handshake}");
        }
        client.Close(_toServer);
        Pump(client, server, ref newest);
        server.Close(_toClient);
        Pump(client, server, ref newest);
        return newest;
    }

    private void Pump(TlsConnection client, TlsConnection server, ref TlsSession? newest)
    {
        for (var round = 0; round < MaxRounds && (_toServer.WrittenCount > 0 || _toClient.WrittenCount > 0); round++)
        {
            if (_toServer.WrittenCount > 0)
            {
                Move(_toServer);
                server.Receive(_swap.WrittenSpan, _toClient, _plaintext);
            }
            if (_toClient.WrittenCount > 0)
            {
                Move(_toClient);
                if (client.Receive(_swap.WrittenSpan, _toServer, _plaintext).HasFlag(TlsProgress.NewSessions))
                {
                    foreach (var session in client.TakeNewSessions())
                    {
                        newest?.Dispose();
                        newest = session;
                    }
                }
            }
        }
        _plaintext.ResetWrittenCount();
    }

    private void Move(ArrayBufferWriter<byte> from)
    {
        _swap.ResetWrittenCount();
        _swap.Write(from.WrittenSpan);
        from.ResetWrittenCount();
    }
}
