using System.Net.Http;
using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.PhoneServices;
using SbdServer.Testing;

namespace SbdServer.PhoneServices.Tests.Support;

/// <summary>
/// A web application that is nothing but the phone services kit (the HTTPS listener and the phone routes) on a
/// free loopback port, with in-memory ports behind it: what the host composes, without the rest of the host.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    public const string Fqdn = "cucm-pub.lab.example";
    public const string User = "admin";
    public const string Password = "s3cret & <pw>";
    public const string KnownDevice = "SEP0011215A1AE3";

    private readonly WebApplication _app;

    private RunningServer(WebApplication app, TestCertificateSource certificates, TestDeviceStore devices, FakeTimeProvider time)
    {
        _app = app;
        Certificates = certificates;
        Devices = devices;
        Time = time;
        Warnings = app.Services.GetRequiredService<PeerWarnings>();
    }

    public PhoneServicesListener Listener => _app.Services.GetRequiredService<PhoneServicesListener>();

    public TestCertificateSource Certificates { get; }

    public TestDeviceStore Devices { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The listener's warning counters; kept past disposal, when the last summaries are flushed.</summary>
    public PeerWarnings Warnings { get; }

    public int Port => Listener.LocalEndPoint!.Port;

    public static async Task<RunningServer> StartAsync(
        Action<PhoneServicesOptions>? configure = null,
        TestCertificateSource? certificates = null,
        ILogger<PhoneServicesListener>? logger = null)
    {
        certificates ??= new TestCertificateSource(TestPki.Tomcat);
        var devices = new TestDeviceStore(KnownDevice);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Services.AddSingleton<IPhoneServicesCertificateSource>(certificates);
        builder.Services.AddSingleton<IPhoneUserAuthenticator>(new TestAuthenticator(User, Password));
        builder.Services.AddSingleton<IDeviceStore>(devices);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(new LocalNodeOptions { Name = "cucm-pub", Fqdn = Fqdn, Address = "10.0.0.10" });
        builder.Services.AddSbdPhoneServices();
        if (logger is not null)
        {
            builder.Services.AddSingleton(logger);
        }
        builder.Services.Configure<PhoneServicesOptions>(options =>
        {
            options.Address = "127.0.0.1";
            options.Port = 0;
            configure?.Invoke(options);
        });
        builder.WebHost.UseSbdPhoneServicesHttps();

        // Only when the listener is disabled does Kestrel fall back to this instead of its fixed localhost:5000.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapSbdPhoneServices();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new RunningServer(app, certificates, devices, time);
    }

    /// <summary>A client on its own connection pool; <see cref="CapturingClient.PresentedCertificate"/> is what the server showed.</summary>
    public CapturingClient CreateClient() => new(Port);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed class CapturingClient : IDisposable
{
    private readonly HttpClient _client;

    public CapturingClient(int port)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Phones do not validate the chain; they ask TVS. The tests look at what was presented.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    PresentedCertificate = certificate?.GetRawCertData();
                    return PresentedCertificate is not null;
                },
            },
        };
        _client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
    }

    public byte[]? PresentedCertificate { get; private set; }

    public HttpClient Http => _client;

    public void Dispose() => _client.Dispose();
}
