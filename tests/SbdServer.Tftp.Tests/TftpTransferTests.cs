using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Sessions;
using SbdServer.Tftp.Transport;
using SbdServer.Wire.Tftp;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>The sending state machine, driven by a fake clock and a recording sink (no sockets).</summary>
public sealed class TftpTransferTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly RecordingSink _sink = new();

    [Fact]
    public void NoOptions_SendsBlocksInLockStep_AndCompletesOnFinalAck()
    {
        var transfer = Create(1300, []);
        transfer.Start();
        Assert.Equal([(3, 1, 512)], _sink.Take());
        transfer.OnAck(1);
        Assert.Equal([(3, 2, 512)], _sink.Take());
        transfer.OnAck(2);
        Assert.Equal([(3, 3, 276)], _sink.Take());
        transfer.OnAck(3);
        Assert.Equal(TftpTransferState.Completed, transfer.State);
        Assert.Equal(1300, transfer.AckedBytes);
    }

    [Fact]
    public void ExactMultipleOfBlockSize_EndsWithEmptyBlock()
    {
        var transfer = Create(1024, []);
        transfer.Start();
        transfer.OnAck(1);
        transfer.OnAck(2);
        Assert.Equal([(3, 1, 512), (3, 2, 512), (3, 3, 0)], _sink.Take());
        transfer.OnAck(3);
        Assert.Equal(TftpTransferState.Completed, transfer.State);
    }

    [Fact]
    public void EmptyFile_IsOneEmptyBlock()
    {
        var transfer = Create(0, []);
        transfer.Start();
        Assert.Equal([(3, 1, 0)], _sink.Take());
        transfer.OnAck(1);
        Assert.Equal(TftpTransferState.Completed, transfer.State);
    }

    [Fact]
    public void DuplicateAck_IsNeverAnsweredWithData()
    {
        var transfer = Create(2000, []);
        transfer.Start();
        transfer.OnAck(1);
        _sink.Take();
        transfer.OnAck(1); // Sorcerer's Apprentice probe
        transfer.OnAck(1);
        Assert.Empty(_sink.Take());
        Assert.Equal(2, transfer.DuplicateAcks);
        transfer.OnAck(7); // never sent
        Assert.Empty(_sink.Take());
    }

    [Fact]
    public void Timeout_RetransmitsWithExponentialBackoff_ThenGivesUp()
    {
        var transfer = Create(2000, [], maxRetransmits: 3);
        transfer.Start();
        _sink.Take();

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        transfer.OnTick();
        Assert.Empty(_sink.Take());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        transfer.OnTick();
        Assert.Equal([(3, 1, 512)], _sink.Take()); // after 1 s

        _clock.Advance(TimeSpan.FromMilliseconds(1999));
        transfer.OnTick();
        Assert.Empty(_sink.Take());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        transfer.OnTick();
        Assert.Equal([(3, 1, 512)], _sink.Take()); // then 2 s

        _clock.Advance(TimeSpan.FromSeconds(4));
        transfer.OnTick();
        Assert.Equal([(3, 1, 512)], _sink.Take()); // then 4 s
        _clock.Advance(TimeSpan.FromSeconds(8));
        transfer.OnTick();
        Assert.Equal(TftpTransferState.TimedOut, transfer.State);
        Assert.Equal(3, transfer.Retransmits);
    }

    [Fact]
    public void Progress_ResetsTheBackoff()
    {
        var transfer = Create(2000, []);
        transfer.Start();
        _clock.Advance(TimeSpan.FromSeconds(1));
        transfer.OnTick(); // retransmit; next wait would be 2 s
        transfer.OnAck(1);
        _sink.Take();
        _clock.Advance(TimeSpan.FromSeconds(1));
        transfer.OnTick();
        Assert.Equal([(3, 2, 512)], _sink.Take()); // back to 1 s after progress
    }

    [Fact]
    public void NegotiatedTimeout_IsTheFirstRetransmitInterval()
    {
        var transfer = Create(2000, [new TftpOption("timeout", "3")]);
        transfer.Start();
        Assert.Equal([(6, 0, 0)], _sink.Take());
        transfer.OnAck(0);
        _sink.Take();
        _clock.Advance(TimeSpan.FromMilliseconds(2999));
        transfer.OnTick();
        Assert.Empty(_sink.Take());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        transfer.OnTick();
        Assert.Equal([(3, 1, 512)], _sink.Take());
    }

    [Fact]
    public void Oack_WaitsForAck0_AndIsRetransmittedOnTimeout()
    {
        var transfer = Create(3000, [new TftpOption("blksize", "1428"), new TftpOption("tsize", "0")]);
        transfer.Start();
        Assert.Equal([(6, 0, 0)], _sink.Take());
        transfer.OnAck(1); // not sent yet
        Assert.Empty(_sink.Take());
        _clock.Advance(TimeSpan.FromSeconds(1));
        transfer.OnTick();
        Assert.Equal([(6, 0, 0)], _sink.Take());
        Assert.True(transfer.IsAtFirstPacket);
        transfer.OnAck(0);
        Assert.Equal([(3, 1, 1428)], _sink.Take());
        Assert.False(transfer.IsAtFirstPacket);
    }

    [Fact]
    public void Window_SendsWBlocks_AndGoesBackToTheGapOnAPartialAck()
    {
        var transfer = Create(512 * 10, [new TftpOption("windowsize", "4")]);
        transfer.Start();
        Assert.Equal([(6, 0, 0)], _sink.Take());
        transfer.OnAck(0);
        Assert.Equal([(3, 1, 512), (3, 2, 512), (3, 3, 512), (3, 4, 512)], _sink.Take());
        transfer.OnAck(2); // receiver saw a gap after block 2 (RFC 7440)
        Assert.Equal([(3, 3, 512), (3, 4, 512), (3, 5, 512), (3, 6, 512)], _sink.Take());
        transfer.OnAck(2); // duplicate: nothing
        Assert.Empty(_sink.Take());
        transfer.OnAck(6);
        Assert.Equal([(3, 7, 512), (3, 8, 512), (3, 9, 512), (3, 10, 512)], _sink.Take());
        transfer.OnAck(10);
        Assert.Equal([(3, 11, 0)], _sink.Take());
        transfer.OnAck(11);
        Assert.Equal(TftpTransferState.Completed, transfer.State);
    }

    [Fact]
    public void Window_TimeoutResendsTheWholeUnacknowledgedWindow()
    {
        var transfer = Create(512 * 10, [new TftpOption("windowsize", "3")]);
        transfer.Start();
        Assert.Equal([(6, 0, 0)], _sink.Take());
        transfer.OnAck(0);
        _sink.Take();
        _clock.Advance(TimeSpan.FromSeconds(1));
        transfer.OnTick();
        Assert.Equal([(3, 1, 512), (3, 2, 512), (3, 3, 512)], _sink.Take());
        Assert.Equal(3, transfer.Retransmits);
    }

    [Fact]
    public void BlockNumbers_RollOverToZero()
    {
        // blksize 8: 70 000 blocks, more than 65 535.
        var transfer = Create(8 * 70_000, [new TftpOption("blksize", "8")]);
        transfer.Start();
        Assert.Equal([(6, 0, 0)], _sink.Take());
        transfer.OnAck(0);
        var blocks = new List<ushort>();
        for (var i = 1; i <= 70_001 && transfer.State == TftpTransferState.Running; i++)
        {
            var sent = _sink.Take();
            Assert.Single(sent);
            blocks.Add((ushort)sent[0].Block);
            transfer.OnAck((ushort)sent[0].Block);
        }

        Assert.Equal(TftpTransferState.Completed, transfer.State);
        Assert.Equal(70_001, blocks.Count);
        Assert.Equal(65535, blocks[65534]);
        Assert.Equal(0, blocks[65535]);
        Assert.Equal(1, blocks[65536]);
    }

    [Fact]
    public void DuplicateRequest_ResendsTheFirstPacketOnlyBeforeAnyAck()
    {
        var transfer = Create(2000, []);
        transfer.Start();
        _sink.Take();
        transfer.OnDuplicateRequest();
        Assert.Equal([(3, 1, 512)], _sink.Take());
        transfer.OnAck(1);
        _sink.Take();
        transfer.OnDuplicateRequest();
        Assert.Empty(_sink.Take());
    }

    [Fact]
    public void ClientError_EndsTheTransfer()
    {
        var transfer = Create(2000, []);
        transfer.Start();
        transfer.OnClientError(TftpErrorCode.OptionNegotiation);
        Assert.Equal(TftpTransferState.ClientError, transfer.State);
        Assert.Equal(TftpErrorCode.OptionNegotiation, transfer.ClientErrorCode);
        transfer.OnAck(1);
        Assert.Equal(TftpTransferState.ClientError, transfer.State);
    }

    private TftpTransfer Create(int length, TftpOption[] options, int maxRetransmits = 5)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var content = TftpFileContent.FromMemory(bytes, "test");
        var negotiation = TftpNegotiation.Negotiate(options, TftpMode.Octet, length, 1468, 16);
        return new TftpTransfer(content, negotiation, _sink, _clock, TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(8), maxRetransmits);
    }

    private sealed class RecordingSink : ITftpDatagramSink
    {
        private readonly List<(int Opcode, int Block, int Payload)> _sent = [];

        public void Send(ReadOnlySpan<byte> datagram) => _sent.Add(datagram[1] == 6
            ? (6, 0, 0)
            : (datagram[1], BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]), datagram.Length - 4));

        public List<(int Opcode, int Block, int Payload)> Take()
        {
            var copy = _sent.ToList();
            _sent.Clear();
            return copy;
        }
    }
}
