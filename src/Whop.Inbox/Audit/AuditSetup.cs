namespace Whop.Inbox.Audit;

public static class AuditSetup
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditTrailQuery>();
        return builder;
    }
}
