namespace Whop.Inbox.Support.Reports;

public static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services) => services
        .AddSingleton<SupportReports>()
        .AddSingleton<BusinessHoursSettings>();
}
