using System.Buffers;
using Switchboard.Tls;

namespace Switchboard.Tests.Tls;

/// <summary>A client and a server connection wired back to back in memory; pumps bytes between them.</summary>
internal sealed class TlsPair : IDisposable
{
    private const int MaxRounds = 64;

    private readonly ArrayBufferWriter<byte> _toServer = new();
    private readonly ArrayBufferWriter<byte> _toClient = new();

    public TlsPair(TlsConnection client, TlsConnection server)
    {
        Client = client;
        Server = server;
    }

    public TlsConnection Client { get; }

    public TlsConnection Server { get; }

    public ArrayBufferWriter<byte> ClientPlaintext { get; } = new();

    public ArrayBufferWriter<byte> ServerPlaintext { get; } = new();

    /// <summary>Everything each side reported so far, OR-ed.</summary>
    public TlsProgress ClientProgress { get; private set; }

    public TlsProgress ServerProgress { get; private set; }

    /// <summary>Sessions the client received so far (owned by the test).</summary>
    public List<TlsSession> ClientSessions { get; } = new();

    /// <summary>How the ciphertext is cut before delivery (null: whole flights).</summary>
    public int? ChunkSize { get; set; }

    public static TlsPair Connect(TlsContext clientContext, TlsContext serverContext, string endpoint, TlsSession? resume = null)
    {
        var pair = Create(clientContext, serverContext, endpoint, resume);
        pair.Start();
        pair.Pump();
        return pair;
    }

    public static TlsPair Create(TlsContext clientContext, TlsContext serverContext, string endpoint, TlsSession? resume = null) =>
        new(TlsConnection.CreateClient(clientContext, endpoint, resume), TlsConnection.CreateServer(serverContext));

    public void Start() => ClientProgress |= Client.Start(_toServer);

    /// <summary>Delivers queued bytes both ways until neither side has anything to say (bounded rounds).</summary>
    public void Pump()
    {
        for (var round = 0; round < MaxRounds && (_toServer.WrittenCount > 0 || _toClient.WrittenCount > 0); round++)
        {
            if (_toServer.WrittenCount > 0)
            {
                var bytes = _toServer.WrittenSpan.ToArray();
                _toServer.ResetWrittenCount();
                foreach (var piece in Pieces(bytes))
                {
                    ServerProgress |= Server.Receive(piece.Span, _toClient, ServerPlaintext);
                }
            }
            if (_toClient.WrittenCount > 0)
            {
                var bytes = _toClient.WrittenSpan.ToArray();
                _toClient.ResetWrittenCount();
                foreach (var piece in Pieces(bytes))
                {
                    ClientProgress |= Client.Receive(piece.Span, _toServer, ClientPlaintext);
                }
            }
            ClientSessions.AddRange(Client.TakeNewSessions());
        }
    }

    public void ClientSends(ReadOnlySpan<byte> plaintext)
    {
        ClientProgress |= Client.Send(plaintext, _toServer);
        Pump();
    }

    public void ServerSends(ReadOnlySpan<byte> plaintext)
    {
        ServerProgress |= Server.Send(plaintext, _toClient);
        Pump();
    }

    /// <summary>Client sends close_notify; the server answers with its own.</summary>
    public void CloseFromClient()
    {
        Client.Close(_toServer);
        Pump();
        if ((ServerProgress & TlsProgress.PeerClosed) != 0)
        {
            Server.Close(_toClient);
            Pump();
        }
    }

    /// <summary>Bytes the client queued for the server but not yet delivered (for truncation tests).</summary>
    public byte[] TakeBytesForServer()
    {
        var bytes = _toServer.WrittenSpan.ToArray();
        _toServer.ResetWrittenCount();
        return bytes;
    }

    public byte[] TakeBytesForClient()
    {
        var bytes = _toClient.WrittenSpan.ToArray();
        _toClient.ResetWrittenCount();
        return bytes;
    }

    /// <summary>Delivers bytes to the server and returns what this one call reported.</summary>
    public TlsProgress DeliverToServer(ReadOnlySpan<byte> bytes)
    {
        var progress = Server.Receive(bytes, _toClient, ServerPlaintext);
        ServerProgress |= progress;
        return progress;
    }

    public TlsProgress DeliverToClient(ReadOnlySpan<byte> bytes)
    {
        var progress = Client.Receive(bytes, _toServer, ClientPlaintext);
        ClientProgress |= progress;
        return progress;
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        foreach (var session in ClientSessions)
        {
            session.Dispose();
        }
    }

    private IEnumerable<ReadOnlyMemory<byte>> Pieces(byte[] bytes)
    {
        var size = ChunkSize ?? bytes.Length;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            yield return bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
        }
    }
}
