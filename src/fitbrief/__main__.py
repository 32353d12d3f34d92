from fitbrief.cli import main

main()
