from keta.cli import main

main()
