namespace Harness.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
    }
}
