using SbdServer.Core.Tftp;
using SbdServer.Tftp.Transport;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Sessions;

/// <summary>
/// The sending side of one RRQ: OACK/ACK 0 handshake, DATA blocks with an RFC 7440 window, retransmission on timeout
/// only (exponential backoff, never on a duplicate ACK: RFC 1123 4.2.3.1 Sorcerer's Apprentice), 16-bit block
/// rollover to 0 over a 64-bit block index. Not thread-safe: the owner serialises calls (one lock per session).
/// </summary>
internal sealed class TftpTransfer
{
    private readonly TftpFileContent _content;
    private readonly ITftpDatagramSink _sink;
    private readonly TimeProvider _time;
    private readonly byte[]? _oack;
    private readonly byte[] _buffer;
    private readonly int _blockSize;
    private readonly int _windowSize;
    private readonly TimeSpan _initialTimeout;
    private readonly TimeSpan _maxTimeout;
    private readonly int _maxRetransmits;
    private readonly long _lastBlock;

    private bool _awaitingOackAck;
    private long _acked;
    private long _sent;
    private long _deadline;
    private TimeSpan _timeout;
    private int _retries;

    public TftpTransfer(
        TftpFileContent content,
        TftpNegotiation negotiation,
        ITftpDatagramSink sink,
        TimeProvider time,
        TimeSpan initialTimeout,
        TimeSpan maxTimeout,
        int maxRetransmits)
    {
        _content = content;
        _sink = sink;
        _time = time;
        _blockSize = negotiation.BlockSize;
        _windowSize = negotiation.WindowSize;
        _initialTimeout = negotiation.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : initialTimeout;
        _maxTimeout = maxTimeout < _initialTimeout ? _initialTimeout : maxTimeout;
        _maxRetransmits = maxRetransmits;
        _timeout = _initialTimeout;

        // Blocks 1..n with n = floor(size / blksize) + 1: the last block is short, possibly 0 bytes.
        _lastBlock = (content.Length / _blockSize) + 1;
        _buffer = new byte[TftpPacket.HeaderSize + _blockSize];
        if (negotiation.Accepted.Count > 0)
        {
            var oack = new byte[2 + negotiation.Accepted.Sum(o => o.Name.Length + o.Value.Length + 2)];
            TftpPacket.WriteOack(oack, negotiation.Accepted);
            _oack = oack;
        }
    }

    public TftpTransferState State { get; private set; } = TftpTransferState.Running;

    /// <summary>Blocks of the file (the last may be empty).</summary>
    public long TotalBlocks => _lastBlock;

    /// <summary>Highest block acknowledged so far.</summary>
    public long AckedBlocks => _acked;

    /// <summary>Bytes acknowledged by the client.</summary>
    public long AckedBytes => Math.Min(_acked * _blockSize, _content.Length);

    public int Retransmits { get; private set; }

    public int DuplicateAcks { get; private set; }

    /// <summary>The client's ERROR code when <see cref="State"/> is <see cref="TftpTransferState.ClientError"/>.</summary>
    public TftpErrorCode? ClientErrorCode { get; private set; }

    /// <summary>True until the client has acknowledged anything: a repeated RRQ may re-trigger the first packet.</summary>
    public bool IsAtFirstPacket => _oack is null ? _acked == 0 : _awaitingOackAck;

    /// <summary>Sends the OACK (when options were accepted) or the first window of DATA.</summary>
    public void Start()
    {
        if (_oack is not null)
        {
            _awaitingOackAck = true;
            _sink.Send(_oack);
        }
        else
        {
            SendWindow();
        }

        Arm();
    }

    /// <summary>
    /// A retransmitted RRQ from the same client TID: resend the first packet now instead of starting a second
    /// transfer, but only while nothing has been acknowledged (afterwards the RRQ is stale).
    /// </summary>
    public void OnDuplicateRequest()
    {
        if (State != TftpTransferState.Running || !IsAtFirstPacket)
        {
            return;
        }

        Resend();
        Arm();
    }

    public void OnAck(ushort block)
    {
        if (State != TftpTransferState.Running)
        {
            return;
        }

        if (_awaitingOackAck)
        {
            if (block != 0)
            {
                return; // an ACK for a block we never sent
            }

            _awaitingOackAck = false;
            Progress();
            SendWindow();
            Arm();
            return;
        }

        var delta = (ushort)(block - (ushort)_acked);
        if (delta == 0)
        {
            DuplicateAcks++; // never resend here: that is the Sorcerer's Apprentice bug
            return;
        }

        if (delta > _sent - _acked)
        {
            return; // an ACK for a block not sent yet (or a stale one from before a wrap): ignore
        }

        _acked += delta;
        Progress();
        if (_acked == _lastBlock)
        {
            State = TftpTransferState.Completed;
            return;
        }

        if (_acked < _sent)
        {
            // RFC 7440: the receiver acknowledges the last in-order block when it sees a gap; go back to it.
            _sent = _acked;
        }

        SendWindow();
        Arm();
    }

    public void OnClientError(TftpErrorCode code)
    {
        if (State == TftpTransferState.Running)
        {
            ClientErrorCode = code;
            State = TftpTransferState.ClientError;
        }
    }

    /// <summary>Called by the session timer; retransmits with backoff when the deadline passed.</summary>
    public void OnTick()
    {
        if (State != TftpTransferState.Running || _time.GetTimestamp() < _deadline)
        {
            return;
        }

        if (_retries >= _maxRetransmits)
        {
            State = TftpTransferState.TimedOut;
            return;
        }

        _retries++;
        _timeout = _timeout * 2 > _maxTimeout ? _maxTimeout : _timeout * 2;
        Resend();
        Arm();
    }

    private void Resend()
    {
        if (_awaitingOackAck)
        {
            Retransmits++;
            _sink.Send(_oack);
            return;
        }

        _sent = _acked; // go back N: the whole unacknowledged window again
        SendWindow();
        Retransmits += (int)(_sent - _acked);
    }

    private void Progress()
    {
        _retries = 0;
        _timeout = _initialTimeout;
    }

    private void SendWindow()
    {
        while (_sent < _lastBlock && _sent - _acked < _windowSize)
        {
            _sent++;
            var offset = (_sent - 1) * _blockSize;
            var payload = _content.Read(offset, _buffer.AsSpan(TftpPacket.HeaderSize, _blockSize));
            TftpPacket.WriteDataHeader(_buffer, unchecked((ushort)_sent));
            _sink.Send(_buffer.AsSpan(0, TftpPacket.HeaderSize + payload));
        }
    }

    private void Arm() => _deadline = _time.GetTimestamp() + (long)(_timeout.TotalSeconds * _time.TimestampFrequency);
}
