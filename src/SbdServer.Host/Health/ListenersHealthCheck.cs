using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SbdServer.Capf;
using SbdServer.Host.Startup;
using SbdServer.PhoneServices;
using SbdServer.Sip;
using SbdServer.Tftp;
using SbdServer.Tftp.Http;
using SbdServer.Tvs;

namespace SbdServer.Host.Health;

/// <summary>
/// Every enabled listener is bound and running (TFTP, HTTP 6970, TVS, CAPF, secure SIP, phone services; the admin port answers
/// this request), and the certificates they present are loaded: the security state is ready and TVS, CAPF, SIP and phone
/// services hold a certificate. Services that configuration turned off are not required.
/// </summary>
internal sealed class ListenersHealthCheck(IServiceProvider services, StartupState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (!state.SecurityReady)
        {
            problems.Add("security state not loaded yet");
        }

        if (services.GetService<TftpServerService>() is { } tftp
            && (tftp.LocalEndPoint is null || tftp.ExecuteTask is null || tftp.ExecuteTask.IsCompleted))
        {
            problems.Add("TFTP not listening");
        }

        if (services.GetService<TftpHttpService>() is { LocalEndPoint: null })
        {
            problems.Add("HTTP 6970 not listening");
        }

        if (services.GetRequiredService<IOptions<TvsOptions>>().Value.Enabled
            && services.GetService<TvsHostedService>() is { } tvs)
        {
            if (tvs.Server is null)
            {
                problems.Add("TVS not listening");
            }
            else if (tvs.Server.CurrentCertificateSha256 is null)
            {
                problems.Add("TVS certificate not loaded");
            }
        }

        if (services.GetService<IOptions<CapfOptions>>()?.Value.Enabled == true
            && services.GetService<CapfHostedService>() is { } capf)
        {
            if (capf.Server is null)
            {
                problems.Add("CAPF not listening");
            }
            else if (capf.Server.CurrentCertificateSha256 is null)
            {
                problems.Add("CAPF certificate not loaded");
            }
        }

        if (services.GetService<IOptions<SipOptions>>()?.Value.Enabled == true
            && services.GetService<SipHostedService>() is { } sip)
        {
            if (sip.Server is null)
            {
                problems.Add("secure SIP not listening");
            }
            else if (sip.Server.CurrentCertificateSha256 is null)
            {
                problems.Add("CallManager certificate (SIP) not loaded");
            }
        }

        if (services.GetRequiredService<IOptions<PhoneServicesOptions>>().Value.Enabled
            && services.GetService<PhoneServicesListener>() is { } phone)
        {
            if (phone.LocalEndPoint is null)
            {
                problems.Add("phone services (HTTPS) not listening");
            }
            else if (phone.CurrentCertificateSha256 is null)
            {
                problems.Add("tomcat certificate not loaded");
            }
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(string.Join("; ", problems)));
    }
}
