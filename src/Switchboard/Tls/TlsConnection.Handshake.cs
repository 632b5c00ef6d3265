using System.Runtime.InteropServices;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

internal sealed unsafe partial class TlsConnection
{
    // A server that floods tickets must not grow a connection without bound.
    private const int MaxHeldSessions = 8;

    private TlsProgress AdvanceHandshake()
    {
        OpenSslError.Clear();
        var result = LibSsl.SSL_do_handshake(_ssl);
        if (result == 1)
        {
            return CompleteHandshake();
        }
        var error = LibSsl.SSL_get_error(_ssl, result);
        return error is LibSsl.ErrorWantRead or LibSsl.ErrorWantWrite
            ? TlsProgress.None
            : Fail(Classify(error));
    }

    private TlsProgress CompleteHandshake()
    {
        string? peer;
        DateTime? notAfter = null;
        string? serial = null;
        using (var certificate = LibSsl.SSL_get1_peer_certificate(_ssl))
        {
            if (!certificate.IsInvalid)
            {
                var x509 = certificate.DangerousGetHandle();
                notAfter = PeerIdentity.NotAfterUtc(x509);
                serial = PeerIdentity.Serial(x509);
                if (_endpoint is null)
                {
                    peer = PeerIdentity.Of(x509);
                }
                // Also covers resumption, where the certificate comes from the session and no chain is verified.
                else if (PeerIdentity.Matches(x509, _endpoint))
                {
                    peer = _endpoint;
                }
                else
                {
                    return Fail(IdentityMismatch(PeerIdentity.Of(x509)));
                }
            }
            else if (_endpoint is not null && LibSsl.SSL_session_reused(_ssl) == 1)
            {
                // A session from the file carries no certificate (TlsSession.ExportWithoutPeer). The full
                // handshake it descends from verified the endpoint it was made for, whose name the session
                // keeps as its host name (Hold): a session offered to any other endpoint is refused here.
                var madeFor = TlsSession.HostnameOf(LibSsl.SSL_get_session(_ssl));
                if (!string.Equals(madeFor, _endpoint, StringComparison.OrdinalIgnoreCase))
                {
                    return Fail(IdentityMismatch(madeFor));
                }
                peer = _endpoint;
            }
            else
            {
                return Fail(new TlsFailure(TlsFailureKind.Verify, "peer presented no certificate"));
            }
        }
        Handshake = new HandshakeInfo(
            Utf8(LibSsl.SSL_get_version(_ssl)),
            Utf8(LibSsl.SSL_CIPHER_get_name(LibSsl.SSL_get_current_cipher(_ssl))),
            LibSsl.SSL_session_reused(_ssl) == 1,
            peer,
            RanEphemeralKeyExchange(),
            SelectedAlpn(),
            notAfter,
            serial);
        State = TlsState.Established;
        if (_endpoint is not null && Handshake.Resumed)
        {
            TakeRenewedSession();
        }
        return TlsProgress.HandshakeCompleted;
    }

    private string? SelectedAlpn()
    {
        byte* data;
        uint length;
        LibSsl.SSL_get0_alpn_selected(_ssl, &data, &length);
        return length == 0 || data is null ? null : System.Text.Encoding.ASCII.GetString(data, (int)length);
    }

    /// <summary>
    /// OpenSSL skips the new-session callback on resumed TLS 1.2 handshakes, even when the server renewed the
    /// ticket (as after a key rotation). The renewal replaces the SSL's session object, and the old one is
    /// then marked not resumable, so hand the new one over ourselves.
    /// </summary>
    private void TakeRenewedSession()
    {
        var current = LibSsl.SSL_get_session(_ssl);
        if (current == IntPtr.Zero || current == _offeredSession || LibSsl.SSL_SESSION_get_protocol_version(current) >= LibSsl.Tls13Version)
        {
            return;
        }
        var session = LibSsl.SSL_get1_session(_ssl);
        if (session != IntPtr.Zero)
        {
            Hold(new TlsSession(session));
        }
    }

    private void Hold(TlsSession session)
    {
        if (_endpoint is not null)
        {
            // OpenSSL 3.0 leaves a client session's host name empty. Stamp it with the endpoint this
            // connection was made for, so a session stored without its certificate still names it (one
            // left unstamped keeps its certificate when exported). Runs inside OpenSSL's callback: no throw.
            session.StampHostname(_endpoint);
        }
        if (_newSessions.Count >= MaxHeldSessions)
        {
            _newSessions[0].Dispose();
            _newSessions.RemoveAt(0);
        }
        _newSessions.Add(session);
        _sessionsArrived = true;
    }

    private bool RanEphemeralKeyExchange()
    {
        // The peer's ephemeral key: the server's key share or ServerKeyExchange key for a client, the client's
        // key share for a TLS 1.3 server. Absent when the handshake took none, as in a psk_ke resumption.
        IntPtr key;
        if (LibSsl.SSL_ctrl(_ssl, LibSsl.CtrlGetPeerTmpKey, 0, (IntPtr)(&key)) == 1 && key != IntPtr.Zero)
        {
            LibCrypto.EVP_PKEY_free(key);
            return true;
        }
        // A TLS 1.2 server keeps no such key after a full handshake, so it asks for the group it used. That names the
        // session's group, from its full handshake, also when a resumption exchanged nothing: hence resumed first.
        return !IsClient && LibSsl.SSL_session_reused(_ssl) != 1
            && LibSsl.SSL_ctrl(_ssl, LibSsl.CtrlGetNegotiatedGroup, 0, IntPtr.Zero) != 0;
    }

    private TlsFailure IdentityMismatch(string? peerIdentity) =>
        new(TlsFailureKind.Identity, $"peer identity '{peerIdentity ?? "(none)"}' does not match endpoint '{_endpoint}'");

    private TlsProgress FailFromCall(int result) => Fail(Classify(LibSsl.SSL_get_error(_ssl, result)));

    private TlsProgress Fail(TlsFailure failure)
    {
        Failure ??= failure;
        State = TlsState.Failed;
        // TLS 1.2 hands over its session inside SSL_do_handshake, before the identity check: a session of a
        // handshake that failed must never be stored, persisted or offered.
        DisposeHeldSessions();
        return TlsProgress.Failed;
    }

    /// <summary>Names why the last call failed; reads the error queue, so call it right after the failure.</summary>
    private TlsFailure Classify(int sslError)
    {
        var code = OpenSslError.Take();
        if (code == 0)
        {
            return sslError switch
            {
                LibSsl.ErrorZeroReturn => new TlsFailure(TlsFailureKind.Closed, "peer closed the connection during the handshake"),
                LibSsl.ErrorSyscall => new TlsFailure(TlsFailureKind.Closed, "unexpected end of stream"),
                _ => new TlsFailure(TlsFailureKind.Internal, $"OpenSSL error {sslError} with an empty error queue"),
            };
        }
        var reasonText = OpenSslError.ReasonText(code);
        if (OpenSslError.Library(code) != LibCrypto.LibSslErrors)
        {
            return new TlsFailure(TlsFailureKind.Protocol, reasonText);
        }
        var reason = OpenSslError.Reason(code);
        if (reason == LibSsl.ReasonCertificateVerifyFailed)
        {
            var verifyResult = LibSsl.SSL_get_verify_result(_ssl);
            if (verifyResult == LibSsl.VerifyErrorHostnameMismatch && _endpoint is not null)
            {
                return IdentityMismatch(PresentedIdentity());
            }
            return new TlsFailure(TlsFailureKind.Verify, reasonText + ": " + OpenSslError.VerifyErrorText(verifyResult));
        }
        return reason >= LibSsl.AlertReasonOffset
            ? new TlsFailure(TlsFailureKind.PeerAlert, reasonText)
            : new TlsFailure(TlsFailureKind.Protocol, reasonText);
    }

    /// <summary>The leaf a rejected peer presented: on a client the received chain still holds it.</summary>
    private string? PresentedIdentity()
    {
        var chain = LibSsl.SSL_get_peer_cert_chain(_ssl);
        if (chain == IntPtr.Zero || LibCrypto.OPENSSL_sk_num(chain) < 1)
        {
            return null;
        }
        return PeerIdentity.Of(LibCrypto.OPENSSL_sk_value(chain, 0));
    }

    /// <summary>
    /// OpenSSL's new-session callback on client contexts: TLS 1.2 sessions at the end of the handshake,
    /// TLS 1.3 tickets whenever SSL_read meets one. Returning 1 means we own the reference.
    /// </summary>
    [UnmanagedCallersOnly]
    internal static int OnClientNewSession(IntPtr ssl, IntPtr session)
    {
        try
        {
            var slot = LibSsl.SSL_get_ex_data(ssl, ExDataIndex.Connection);
            if (slot == IntPtr.Zero || GCHandle.FromIntPtr(slot).Target is not TlsConnection connection)
            {
                return 0;
            }
            connection.Hold(new TlsSession(session));
            return 1;
        }
        catch (Exception)
        {
            return 0;
        }
    }
}
