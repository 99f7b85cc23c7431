namespace Harness.Build;
